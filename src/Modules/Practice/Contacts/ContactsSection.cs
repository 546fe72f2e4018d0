using Microsoft.AspNetCore.Mvc;

namespace Portal.Practice.Contacts;

/// <summary>The client's contacts on their profile: who may act for the client, and a way to the page that edits them.</summary>
[ViewComponent(Name = "ClientContacts")]
public sealed class ContactsSection(IDocumentSession session) : ClientProfileSection
{
    public override int Order => 15;

    public async Task<IViewComponentResult> InvokeAsync(Guid clientId)
    {
        var user = CurrentUser.From(UserClaimsPrincipal);
        if (user is null) return Content(string.Empty);
        var outcome = await ListContacts.ReadAsync(clientId, user, session, HttpContext.RequestAborted);
        if (!outcome.Succeeded) return Content(string.Empty);
        return View(new ContactsSectionView(clientId, outcome.Value, user.Passes(PortalPolicies.FrontOffice)));
    }
}

internal sealed record ContactsSectionView(Guid ClientId, IReadOnlyList<ContactView> Contacts, bool CanEdit);
