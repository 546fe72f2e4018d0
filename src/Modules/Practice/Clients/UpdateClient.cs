using Portal.BuildingBlocks.Concurrency;
using Portal.Practice.Roster;

namespace Portal.Practice.Clients;

/// <summary>
/// The provider corrects a client's name or date of birth. The login email is not theirs to change: a request that
/// carries an email is refused (400); the client changes it through the email change flow, with the provider's approval.
/// </summary>
/// <remarks><see cref="Version"/> is the roster version the editor loaded (from GET); when given, a stale one is refused with 409.</remarks>
public sealed record UpdateClientRequest(string FirstName, string LastName, DateOnly DateOfBirth, string? Email = null, long? Version = null)
{
    /// <summary>How the client pays ("insurance" or "selfPay"); when left out, it stays as it was.</summary>
    public ClientBilling? Billing { get; init; }
}

internal sealed class UpdateClientValidator : AbstractValidator<UpdateClientRequest>
{
    public UpdateClientValidator()
    {
        RuleFor(r => r.FirstName).NotEmpty().MaximumLength(100);
        RuleFor(r => r.LastName).NotEmpty().MaximumLength(100);
        RuleFor(r => r.DateOfBirth).Must(d => d > new DateOnly(1900, 1, 1)).WithMessage("Enter a real date of birth.");
        RuleFor(r => r.Email).Null()
            .WithMessage("A client's login email can't be edited by a provider. The client asks for the change, and you approve it.");
    }
}

public static class UpdateClientEndpoint
{
    [WolverinePut("/api/console/clients/{clientId}")]
    [Authorize(Policy = PortalPolicies.FrontOffice)]
    public static async Task<(IResult, OutgoingMessages)> Put(
        Guid clientId, UpdateClientRequest request, HttpContext http, IDocumentSession session, CancellationToken cancellation)
    {
        var (outcome, messages) = await UpdateClient.ExecuteAsync(clientId, request, http, session, cancellation);
        return (outcome.ToResult(http), messages);
    }
}

/// <summary>Shared by the endpoint and the console's edit page (<c>/console/clients/{id}/edit</c>).</summary>
internal static class UpdateClient
{
    public static async Task<(Outcome<ClientDetails>, OutgoingMessages)> ExecuteAsync(
        Guid clientId, UpdateClientRequest request, HttpContext http, IDocumentSession session, CancellationToken cancellation)
    {
        var user = CurrentUser.From(http.User)!;
        // Parallel edits of one client wait here for each other, so a version check below never lets two through.
        var client = await EditLock.LoadLockedAsync<RosterClient>(session, clientId, cancellation);
        if (client is null || !ClientCard.IsVisibleTo(user, client.Id, client.PracticeId, client.ProviderId, client.CareTeam))
            return (new Refusal(StatusCodes.Status404NotFound, "No such client."), []);
        if (request.Version is { } seen && seen != client.Version)
            return (Refusal.Conflict("This client was changed since you opened it.",
                $"Reload the client (version {client.Version}) and make your change again."), []);
        client.FirstName = request.FirstName.Trim();
        client.LastName = request.LastName.Trim();
        client.DateOfBirth = request.DateOfBirth;
        client.Billing = request.Billing ?? client.Billing;
        session.Store(client);
        return (GetClientEndpoint.ToDetails(client), [client.Changed()]);
    }
}
