using Microsoft.AspNetCore.Html;
using Microsoft.AspNetCore.Mvc;

namespace Portal.Host.Infrastructure;

/// <summary>
/// Renders a module's contributed section so that one module's failure costs only its own section, never the page:
/// the error is logged and the reader sees that the section could not be shown.
/// </summary>
internal static class SectionRendering
{
    public static async Task<IHtmlContent> RenderSectionAsync(this IViewComponentHelper components, Type section, object? arguments, ILogger logger)
    {
        try
        {
            return await components.InvokeAsync(section, arguments);
        }
        catch (Exception exception) when (exception is not OperationCanceledException)
        {
            logger.LogError(exception, "Section {Section} failed to render", section.FullName);
            return new HtmlString("<section class=\"panel\"><p class=\"error\">This section could not be shown right now.</p></section>");
        }
    }
}
