using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.AspNetCore.Mvc.ViewComponents;
using Microsoft.Extensions.DependencyInjection;

namespace Portal.Invitations.Pages.Portal;

/// <summary>
/// The client's portal home at the stable, bookmarkable address /portal; signed-out visitors go to sign-in. It shows
/// what the modules contribute (<see cref="PortalHomeSection"/>: the open tasks first). Right after activation it says
/// the account is active and which address to sign in with, and offers a passkey, which the client may skip.
/// </summary>
[Authorize(Policy = PortalPolicies.Client)]
public sealed class PortalHomeModel(IQuerySession session, IViewComponentDescriptorCollectionProvider components, IServiceProvider services)
    : PageModel
{
    public string DisplayName { get; private set; } = string.Empty;
    public string Email { get; private set; } = string.Empty;
    public IReadOnlyList<Type> Sections { get; private set; } = [];

    // A string, as the sign-in page's: the redirect says "?activated=1".
    [BindProperty(SupportsGet = true)]
    public string? Activated { get; set; }

    public bool JustActivated => Activated is "1" or "true";

    public bool OfferPasskey { get; private set; }

    /// <summary>The passkey's name when the client does not give one: the kind of device, from the browser.</summary>
    public string DeviceName { get; private set; } = "This device";

    public async Task OnGetAsync()
    {
        var user = CurrentUser.From(User)!;
        DisplayName = user.DisplayName;
        Sections = components.ViewComponents.Items
            .Select(d => d.TypeInfo.AsType())
            .Where(t => t.IsAssignableTo(typeof(PortalHomeSection)) && !t.IsAbstract)
            .Select(t => (Type: t, Order: ((PortalHomeSection)ActivatorUtilities.CreateInstance(services, t)).Order))
            .OrderBy(s => s.Order)
            .Select(s => s.Type)
            .ToList();
        if (!JustActivated) return;
        var account = await session.LoadAsync<Accounts.Account>(user.UserId, HttpContext.RequestAborted);
        Email = account?.Email ?? string.Empty;
        OfferPasskey = account is { Passkeys.Count: 0 };
        DeviceName = Sessions.DeviceNames.Of(Request.Headers.UserAgent.ToString());
    }
}
