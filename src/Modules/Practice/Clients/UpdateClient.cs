using FluentValidation;
using Marten;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Http;
using System.Security.Claims;
using Portal.BuildingBlocks.Security;
using Portal.Practice.Roster;
using Wolverine;
using Wolverine.Http;

namespace Portal.Practice.Clients;

/// <summary>
/// The provider corrects a client's name or date of birth. The login email is not theirs to change: a request that
/// carries an email is refused (400); the client changes it through the email change flow, with the provider's approval.
/// </summary>
public sealed record UpdateClientRequest(string FirstName, string LastName, DateOnly DateOfBirth, string? Email = null);

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
    [Authorize(Policy = PortalPolicies.Provider)]
    public static async Task<(IResult, OutgoingMessages)> Put(Guid clientId, UpdateClientRequest request, ClaimsPrincipal principal, IDocumentSession session)
    {
        var user = CurrentUser.From(principal)!;
        var client = await session.LoadAsync<RosterClient>(clientId);
        if (client is null || client.ProviderId != user.ProviderId) return (Results.Problem(statusCode: 404, title: "No such client."), []);
        client.FirstName = request.FirstName.Trim();
        client.LastName = request.LastName.Trim();
        client.DateOfBirth = request.DateOfBirth;
        session.Store(client);
        return (Results.Ok(GetClientEndpoint.ToDetails(client)), [client.Changed()]);
    }
}
