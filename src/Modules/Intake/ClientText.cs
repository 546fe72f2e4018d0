using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Localization;

namespace Portal.Intake;

/// <summary>
/// The texts this module shows clients, for <c>IStringLocalizer&lt;ClientText&gt;</c>: each key is the English wording
/// (ClientText.resx), each other language a file beside it (ClientText.es.resx). See docs/languages.md.
/// </summary>
internal sealed class ClientText
{
    /// <summary>The texts for this request's reader (the public endpoints and the page cannot name this type).</summary>
    public static IStringLocalizer<ClientText> For(HttpContext http) =>
        http.RequestServices.GetRequiredService<IStringLocalizer<ClientText>>();
}
