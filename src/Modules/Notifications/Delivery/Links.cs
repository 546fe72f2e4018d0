
namespace Portal.Notifications.Delivery;

/// <summary>Absolute links and display formats used in emails. Portal:PublicUrl is the address users reach the portal at.</summary>
internal static class Links
{
    public static string PublicUrl(IConfiguration configuration) =>
        (configuration["Portal:PublicUrl"] is { Length: > 0 } url ? url : "http://localhost:5000").TrimEnd('/');

    public static string ClientInConsole(IConfiguration configuration, Guid clientId) => $"{PublicUrl(configuration)}/console/clients/{clientId}";

    public static string Portal(IConfiguration configuration) => $"{PublicUrl(configuration)}/portal";

    /// <summary>The console's landing page, with its "Needs attention" panel.</summary>
    public static string Console(IConfiguration configuration) => $"{PublicUrl(configuration)}/console";

    public static string Inbox(IConfiguration configuration) => $"{PublicUrl(configuration)}/console/notifications";

    /// <summary>"j***@example.com": enough for the owner to recognise, not enough to harvest.</summary>
    public static string MaskEmail(string email)
    {
        var at = email.IndexOf('@');
        return at <= 0 ? "***" : $"{email[0]}***{email[at..]}";
    }
}
