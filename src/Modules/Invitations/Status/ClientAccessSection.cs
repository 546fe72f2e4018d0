using Microsoft.AspNetCore.Mvc;
using Portal.Invitations.EmailChanges;

namespace Portal.Invitations.Status;

/// <summary>
/// The client's portal access on their profile: status, invitation, resend, and email changes to decide (the front
/// office and support); a biller gets only the client's name and email, the identity the section opens the page with.
/// </summary>
[ViewComponent(Name = "ClientAccess")]
public sealed class ClientAccessSection(IQuerySession session, TimeProvider clock) : ClientProfileSection
{
    public override int Order => 60;

    public async Task<IViewComponentResult> InvokeAsync(Guid clientId)
    {
        if (await AccessSectionReader.OfAsync(this, session, clientId) is not { } reader) return Content(string.Empty);

        var access = (await ClientAccessReader.ReadAsync(session, [reader.Card], clock.GetUtcNow())).Single();
        var changes = await ListEmailChangesEndpoint.ForAsync(reader.User, session, clientId);
        return View(new ClientAccessSectionView(access, ClientAccessReader.Describe(access.Status), reader.CanAct,
            reader.ManagesAccess ? changes.Where(c => c.Status is "AwaitingProvider" or "AwaitingConfirmation").ToList() : [],
            reader.ManagesAccess));
    }
}

internal sealed record ClientAccessSectionView(ClientAccess Access, string StatusText, bool CanDecide, IReadOnlyList<EmailChangeView> OpenChanges,
    bool ManagesAccess);
