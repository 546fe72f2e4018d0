using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Localization;

namespace Portal.Invitations;

/// <summary>
/// The texts this module shows clients, for <c>IStringLocalizer&lt;ClientText&gt;</c>: each key is the English wording
/// (ClientText.resx), each other language a file beside it (ClientText.es.resx). See docs/languages.md.
/// </summary>
public sealed class ClientText
{
    /// <summary>
    /// The texts for this request's reader: a signed-in client's own language, English for staff and support (their
    /// pages are English), the visitor's language on a signed-out request.
    /// </summary>
    internal static IStringLocalizer<ClientText> For(HttpContext http) =>
        http.RequestServices.GetRequiredService<IStringLocalizer<ClientText>>();
}
