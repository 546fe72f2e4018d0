using Portal.BuildingBlocks.Modules;

namespace Portal.Host;

/// <summary>Every module of the portal, in the order their registrations run. Add a new module here.</summary>
internal static class PortalModules
{
    public static readonly IReadOnlyList<IPortalModule> All =
    [
        new Portal.Notifications.NotificationsModule(),
        new Portal.Practice.PracticeModule(),
        new Portal.Invitations.InvitationsModule(),
        new Portal.Intake.IntakeModule(),
        new Portal.Insurance.InsuranceModule(),
        new Portal.Autopay.AutopayModule(),
        new Portal.Forms.FormsModule(),
        new Portal.Caseload.CaseloadModule(),
        new Portal.Integrations.IntegrationsModule(),
    ];
}
