namespace Portal.Notifications.Delivery;

internal static class SecretLinks
{
    /// <summary>The Data Protection purpose every module uses to protect a <see cref="Portal.Contracts.SecretLink"/>.</summary>
    public const string Purpose = "Portal.SecretLink";
}
