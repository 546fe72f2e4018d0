using Portal.BuildingBlocks.Data;
using Microsoft.AspNetCore.Mvc;
using Portal.Invitations.Roster;

namespace Portal.Invitations.EmailCorrections;

/// <summary>
/// On a client's profile, for their clinician or the practice's owner: the login email correction waiting for support
/// (or the last one decided, with support's note) and the way to ask for one. Nothing for anyone else.
/// </summary>
[ViewComponent(Name = "EmailCorrection")]
public sealed class EmailCorrectionProfileSection(IQuerySession session) : ClientProfileSection
{
    public override int Order => 61;

    public async Task<IViewComponentResult> InvokeAsync(Guid clientId)
    {
        var user = CurrentUser.From(UserClaimsPrincipal);
        var card = await RosterArrival.CardAsync<InvitationsClient>(session, clientId, HttpContext.RequestAborted);
        if (user is not { IsClinical: true } || card is null || !card.IsVisibleTo(user)) return Content(string.Empty);
        var latest = await session.Query<EmailCorrection>().Where(c => c.ClientId == clientId)
            .OrderByDescending(c => c.RequestedAt).FirstOrDefaultAsync(HttpContext.RequestAborted);
        return View(new EmailCorrectionSectionView(clientId, latest is null ? null : EmailCorrectionView.From(latest, card.DisplayName)));
    }
}

internal sealed record EmailCorrectionSectionView(Guid ClientId, EmailCorrectionView? Latest);

/// <summary>
/// On support's home: how many login email corrections wait for support, with the way to them. A count only: no
/// names, no addresses, nothing about anyone's health.
/// </summary>
[ViewComponent(Name = "EmailCorrectionsWaiting")]
public sealed class EmailCorrectionsWaitingSection(IQuerySession session) : SupportDashboardSection
{
    public override int Order => 25;

    public async Task<IViewComponentResult> InvokeAsync()
    {
        if (CurrentUser.From(UserClaimsPrincipal) is not { IsSupport: true }) return Content(string.Empty);
        var waiting = await session.Query<EmailCorrection>()
            .CountAsync(c => c.Status == EmailCorrectionStatus.Waiting, HttpContext.RequestAborted);
        return View(waiting);
    }
}
