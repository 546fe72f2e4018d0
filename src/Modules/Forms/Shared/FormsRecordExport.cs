using System.Text.Encodings.Web;
using Portal.BuildingBlocks.Records;
using Portal.Forms.Assessments;
using Portal.Forms.Documents;
using Portal.Forms.IntakeForms;
using Portal.Forms.Roster;
using Portal.Forms.Safety;

namespace Portal.Forms.Shared;

/// <summary>
/// Forms in a client's export: the documents signed (with each signed copy as the HTML page the portal shows, under
/// <c>forms/signed/</c>), intake form answers, assessment results and schedules, and safety flags with their notes.
/// </summary>
internal sealed class FormsRecordExport(IQuerySession session, IPracticeLooks looks) : IClientRecordExport
{
    public string Module => "forms";

    public async Task WriteAsync(Guid clientId, ClientRecordArchive archive, CancellationToken cancellation)
    {
        var signatures = await Signatures.OfClientAsync(session, clientId, cancellation);
        // Times on the signed copies are read by people: in the practice's zone, as the portal shows them.
        var practiceId = (await session.LoadAsync<FormsClient>(clientId, cancellation))?.PracticeId;
        var look = practiceId is { } id ? await looks.FindAsync(id, cancellation) : null;
        var zone = PortalTime.Find(look?.TimeZone) ?? PortalTime.DefaultZone;
        var copies = new List<object>();
        foreach (var signature in signatures.OrderBy(s => s.SignedAt))
        {
            // The version signed, even when the document was withdrawn since, checked against the hash taken at signing.
            var document = await session.LoadAsync<PracticeDocument>(signature.DocumentId, cancellation);
            var html = Signatures.SignedHtml(document, signature);
            var path = $"{Module}/signed/{ClientRecordArchive.FileName(signature.DocumentTitle)}" +
                       $"-v{signature.DocumentVersion}-{signature.SignatureId:N}.html";
            var verified = DocumentRenderer.Hash(html) == signature.ContentHash;
            await archive.AddTextAsync(path, SignedCopyPage(signature, html, verified, zone), cancellation);
            copies.Add(new { Signature = signature, File = path, ContentVerified = verified });
        }

        await archive.AddJsonAsync($"{Module}.json", new
        {
            DocumentsSigned = copies,
            IntakeForms = await session.Query<FormResponse>().Where(r => r.ClientId == clientId).ToListAsync(cancellation),
            Assessments = await session.Query<AssessmentResult>().Where(r => r.ClientId == clientId)
                .OrderBy(r => r.CompletedAt).ToListAsync(cancellation),
            AssessmentSchedules = await session.Query<AssessmentSchedule>().Where(s => s.ClientId == clientId).ToListAsync(cancellation),
            SafetyFlags = await session.Query<SafetyFlag>().Where(f => f.ClientId == clientId)
                .OrderBy(f => f.RaisedAt).ToListAsync(cancellation),
        }, cancellation);
    }

    /// <summary>The signed copy as the portal's printable page shows it: the document as signed, then the signature.</summary>
    private static string SignedCopyPage(DocumentSigned s, string html, bool verified, TimeZoneInfo zone)
    {
        var e = HtmlEncoder.Default;
        var differentName = s.SignedAsDifferentName
            ? $"<p><strong>Signed as a different name.</strong> The name typed, {e.Encode(s.SignedName)}, is not the legal " +
              $"name on file, {e.Encode(s.LegalName ?? "")}; the client confirmed signing as it.</p>"
            : "";
        var check = verified
            ? "The document above matches the signed content (same SHA-256)."
            : "The document text available now does not match the signed content hash.";
        return $"""
            <!DOCTYPE html>
            <html lang="en"><head><meta charset="utf-8"><title>{e.Encode(s.DocumentTitle)}: signed copy</title></head>
            <body>
            <article class="signed-copy">
            <div class="document-body" lang="{s.Language ?? "en"}">
            {html}
            </div>
            <section class="signature-block">
            <h2>Electronic signature</h2>
            {differentName}
            <dl>
            <dt>Signed by</dt><dd>{e.Encode(s.SignedName)}</dd>
            {(s.LegalName is { } legal ? $"<dt>Legal name on file</dt><dd>{e.Encode(legal)}</dd>" : "")}
            <dt>Signed at</dt><dd><time datetime="{s.SignedAt:O}">{System.Net.WebUtility.HtmlEncode(PortalTime.DateTime(s.SignedAt, zone))}</time></dd>
            <dt>Document</dt><dd>{e.Encode(s.DocumentTitle)}, version {s.DocumentVersion}</dd>
            <dt>Language signed</dt><dd>{ContentLanguages.EnglishName(s.Language)}</dd>
            <dt>Content SHA-256</dt><dd><code>{s.ContentHash}</code></dd>
            <dt>IP address</dt><dd>{e.Encode(s.IpAddress ?? "not known")}</dd>
            <dt>Browser</dt><dd>{e.Encode(s.UserAgent ?? "not known")}</dd>
            <dt>Signature id</dt><dd><code>{s.SignatureId}</code></dd>
            </dl>
            <p>{check}</p>
            <h3>Consent to sign electronically (given at signing)</h3>
            <p>{e.Encode(s.ConsentText)}</p>
            </section>
            </article>
            </body></html>
            """;
    }
}
