using System.Globalization;
using System.Net;
using System.Text;

namespace Portal.Forms.Assessments;

/// <summary>
/// Draws a client's scores on one instrument over time as a self-contained SVG: the severity bands as shaded
/// stripes, the scores as a line with points. No script, no external style: it is safe inline under the CSP.
/// </summary>
internal static class TrendChart
{
    // Right leaves room for the longest band label ("Moderately severe (15–19)" at 11 px) so no label is cut off.
    private const int Width = 680, Height = 260, Left = 44, Right = 180, Top = 16, Bottom = 40;
    private static readonly string[] BandFills = ["#e8f5e9", "#fffde7", "#fff3e0", "#ffe0b2", "#ffcdd2"];

    /// <param name="zone">The reader's zone: each point's day is the day it was answered there.</param>
    public static string Render(Instrument instrument, IReadOnlyList<AssessmentResultView> results, TimeZoneInfo zone)
    {
        string Day(DateTimeOffset at) => PortalTime.Date(at, zone);
        var plotWidth = Width - Left - Right;
        var plotHeight = Height - Top - Bottom;
        var max = instrument.MaxTotal;
        double Y(double score) => Top + plotHeight - score / max * plotHeight;

        var points = results.OrderBy(r => r.CompletedAt).ToList();
        var first = points.FirstOrDefault()?.CompletedAt;
        var span = points.Count > 1 ? (points[^1].CompletedAt - first!.Value).TotalSeconds : 0;
        double X(DateTimeOffset at) => span <= 0 ? Left + plotWidth / 2.0 : Left + (at - first!.Value).TotalSeconds / span * plotWidth;

        var id = $"chart-{instrument.Code}";
        var summary = points.Count == 0
            ? $"No {instrument.Name} results yet."
            : $"{instrument.Name} scores over time: " + string.Join("; ", points.Select(p =>
                $"{Day(p.CompletedAt)} {p.Score} ({p.Severity})"));
        var svg = new StringBuilder();
        svg.Append(Inv($"<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 {Width} {Height}\" width=\"100%\""));
        svg.Append(Inv($" role=\"img\" aria-labelledby=\"{id}-title {id}-desc\" class=\"trend-chart\">"));
        svg.Append(Inv($"<title id=\"{id}-title\">{Encode(instrument.Name)} trend</title><desc id=\"{id}-desc\">{Encode(summary)}</desc>"));

        for (var i = 0; i < instrument.Bands.Count; i++)
        {
            var band = instrument.Bands[i];
            var top = Y(Math.Min(band.Max + 0.5, max));
            var bottom = Y(Math.Max(band.Min - 0.5, 0));
            svg.Append(Inv($"<rect x=\"{Left}\" y=\"{top:0.#}\" width=\"{plotWidth}\" height=\"{bottom - top:0.#}\""));
            svg.Append(Inv($" fill=\"{BandFills[Math.Min(i, BandFills.Length - 1)]}\"/>"));
            svg.Append(Inv($"<text x=\"{Left + plotWidth + 6}\" y=\"{(top + bottom) / 2 + 4:0.#}\" font-size=\"11\" fill=\"#333\">"));
            svg.Append(Inv($"{Encode(band.Name)} ({band.Min}–{band.Max})</text>"));
        }

        svg.Append(Inv($"<line x1=\"{Left}\" y1=\"{Top}\" x2=\"{Left}\" y2=\"{Top + plotHeight}\" stroke=\"#555\"/>"));
        svg.Append(Inv($"<line x1=\"{Left}\" y1=\"{Top + plotHeight}\" x2=\"{Left + plotWidth}\" y2=\"{Top + plotHeight}\" stroke=\"#555\"/>"));
        foreach (var tick in new[] { 0, max / 2, max })
            svg.Append(Inv($"<text x=\"{Left - 6}\" y=\"{Y(tick) + 4:0.#}\" font-size=\"11\" text-anchor=\"end\" fill=\"#333\">{tick}</text>"));

        if (points.Count == 0)
        {
            svg.Append(Inv($"<text x=\"{Left + plotWidth / 2}\" y=\"{Top + plotHeight / 2}\" font-size=\"13\""));
            svg.Append(Inv($" text-anchor=\"middle\" fill=\"#333\">No results yet</text>"));
        }
        else
        {
            svg.Append("<polyline fill=\"none\" stroke=\"#1f4e8c\" stroke-width=\"2\" points=\"");
            svg.Append(string.Join(' ', points.Select(p => Inv($"{X(p.CompletedAt):0.#},{Y(p.Score):0.#}"))));
            svg.Append("\"/>");
            foreach (var p in points)
            {
                svg.Append(Inv($"<circle cx=\"{X(p.CompletedAt):0.#}\" cy=\"{Y(p.Score):0.#}\" r=\"4\""));
                svg.Append(Inv($" fill=\"{(p.SafetyFlag ? "#b00020" : "#1f4e8c")}\">"));
                svg.Append(Inv($"<title>{Day(p.CompletedAt)}: {p.Score} ({Encode(p.Severity)})"));
                svg.Append(Inv($"{(p.SafetyFlag ? ", safety flag" : string.Empty)}</title></circle>"));
            }
            svg.Append(Inv($"<text x=\"{Left}\" y=\"{Height - 12}\" font-size=\"11\" fill=\"#333\">{Day(points[0].CompletedAt)}</text>"));
            if (points.Count > 1)
                svg.Append(Inv($"<text x=\"{Left + plotWidth}\" y=\"{Height - 12}\" font-size=\"11\" text-anchor=\"end\""))
                    .Append(Inv($" fill=\"#333\">{Day(points[^1].CompletedAt)}</text>"));
        }

        svg.Append("</svg>");
        return svg.ToString();
    }

    private static string Inv(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);

    private static string Encode(string text) => WebUtility.HtmlEncode(text);
}
