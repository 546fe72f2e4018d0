using Microsoft.AspNetCore.DataProtection;

namespace Portal.Notifications.Delivery;

internal static class SecretLinks
{
    /// <summary>The Data Protection purpose every module uses to protect a <see cref="Portal.Contracts.SecretLink"/>.</summary>
    public const string Purpose = "Portal.SecretLink";

    /// <summary>The link in the clear, for the email about to be sent; null when there is none.</summary>
    public static string? Unprotect(IDataProtectionProvider protection, SecretLink? link) =>
        link is null ? null : protection.CreateProtector(Purpose).Unprotect(link.Protected);
}
