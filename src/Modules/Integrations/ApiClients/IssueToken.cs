using System.Collections.Immutable;
using System.Security.Claims;
using OpenIddict.Abstractions;
using OpenIddict.Server;
using static OpenIddict.Abstractions.OpenIddictConstants;
using static OpenIddict.Server.OpenIddictServerEvents;

namespace Portal.Integrations.ApiClients;

/// <summary>
/// <c>POST /connect/token</c> with <c>grant_type=client_credentials</c>: OpenIddict parses the request and writes the
/// answer; these two handlers check the client against its Marten record and say what the token holds. OpenIddict runs
/// in its degraded mode (no OpenIddict stores): the client record is ours (<see cref="ApiClient"/>), and tokens are
/// not stored but protected with the host's Data Protection key ring, short-lived, and checked against the live record
/// on every call (<see cref="ApiClientGate"/>), which is what makes rotation and revocation immediate.
/// </summary>
internal sealed class ValidateApiClientCredentials(IQuerySession session) : IOpenIddictServerHandler<ValidateTokenRequestContext>
{
    public const string ClientItem = "portal:api-client";

    public async ValueTask HandleAsync(ValidateTokenRequestContext context)
    {
        if (!context.Request.IsClientCredentialsGrantType())
        {
            context.Reject(Errors.UnsupportedGrantType, "Only the client_credentials grant is supported.");
            return;
        }

        var id = ApiClient.IdOf(context.Request.ClientId);
        var client = id is null ? null : await session.LoadAsync<ApiClient>(id.Value, context.CancellationToken);
        if (client is null || client.Revoked || context.Request.ClientSecret is not { Length: > 0 } secret
            || !ApiClientSecrets.Matches(secret, client.SecretHash))
        {
            context.Reject(Errors.InvalidClient, "The client credentials are not valid.");
            return;
        }

        var requested = context.Request.GetScopes();
        // A SMART-style alias (patient/Patient.read) is another name for what the client's own scopes already read.
        if (requested.Except(client.Scopes).Any(scope => !ApiScopes.AliasCoveredBy(scope, client.Scopes)))
        {
            context.Reject(Errors.InvalidScope, $"This client may ask only for: {string.Join(' ', client.Scopes)}.");
            return;
        }
        context.Transaction.Properties[ClientItem] = client;
    }
}

/// <summary>
/// The token's principal: the API client as an owner of its one practice (the card rule's view), marked as an API
/// client (<see cref="PortalClaims.ApiClient"/>) so no role policy admits it, with the scopes granted and the secret's
/// generation. It names the client, never a person.
/// </summary>
internal sealed class IssueApiClientToken(IDocumentSession session, TimeProvider clock) : IOpenIddictServerHandler<HandleTokenRequestContext>
{
    public const string GenerationClaim = "portal:api-client-generation";

    public async ValueTask HandleAsync(HandleTokenRequestContext context)
    {
        if (context.Transaction.Properties.GetValueOrDefault(ValidateApiClientCredentials.ClientItem) is not ApiClient client) return;
        var requested = context.Request.GetScopes();
        var granted = requested.IsEmpty ? [.. client.Scopes] : requested;

        var identity = new ClaimsIdentity("portal.api-client", Claims.Name, ClaimTypes.Role);
        identity.SetClaim(Claims.Subject, client.ClientId);
        identity.SetClaim(ClaimTypes.Role, PortalRoles.Provider);
        identity.SetClaim(PortalClaims.UserId, client.Id.ToString());
        identity.SetClaim(PortalClaims.ProviderId, client.Id.ToString());
        identity.SetClaim(PortalClaims.PracticeId, client.PracticeId.ToString());
        identity.SetClaim(PortalClaims.StaffRole, StaffRole.Owner.ToString());
        identity.SetClaim(PortalClaims.DisplayName, $"API client {client.Name}");
        identity.SetClaim(PortalClaims.ApiClient, client.Id.ToString());
        identity.SetClaim(GenerationClaim, client.Generation.ToString(System.Globalization.CultureInfo.InvariantCulture));
        identity.SetScopes(granted);
        identity.SetDestinations(static _ => [Destinations.AccessToken]);

        client.LastUsedAt = clock.GetUtcNow();
        session.Store(client);
        Audit.Record(session, null, clock, "integrations.token.issued", nameof(ApiClient), client.Id.ToString(),
            outcome: string.Join(' ', granted), actor: ApiClientGate.ActorOf(client));
        await session.SaveChangesAsync(context.CancellationToken);
        context.SignIn(new ClaimsPrincipal(identity));
    }
}
