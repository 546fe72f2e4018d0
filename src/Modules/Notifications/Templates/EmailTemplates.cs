using System.Collections.Concurrent;
using System.Text.Encodings.Web;
using Fluid;
using Portal.Notifications.Delivery;

namespace Portal.Notifications.Templates;

internal sealed record RenderedEmail(string Subject, string Html, string Text);

/// <summary>
/// Renders an email from the Liquid templates embedded in this module (Templates/*.liquid): for template "x",
/// x.html.liquid and x.txt.liquid give the two bodies, wrapped in _layout.html.liquid / _layout.txt.liquid, and
/// <see cref="Subjects"/> gives the subject line. Variables are strict: a template naming a value it was not given
/// fails to render instead of sending an email with a hole in it. HTML output is HTML-encoded.
/// </summary>
internal static class EmailTemplates
{
    public static readonly IReadOnlyDictionary<string, string> Subjects = new Dictionary<string, string>
    {
        ["invitation"] = "{{ practiceName }} invited you to your client portal",
        ["member-invitation"] = "{{ practiceName }} invited you to its provider console",
        ["password-reset"] = "Reset your password for {{ practiceName }}",
        ["email-verification"] = "Confirm your email address for {{ practiceName }}",
        ["email-changed-old"] = "Your email address with {{ practiceName }} was changed",
        ["email-changed-new"] = "This is now your email address with {{ practiceName }}",
        ["email-corrected-old"] = "{{ practiceName }} corrected your portal email address",
        ["email-corrected-new"] = "{{ practiceName }} corrected your portal email address to this one",
        ["email-corrected-new-no-account"] = "{{ practiceName }} will write to this address from now on",
        ["account-locked"] = "Your account with {{ practiceName }} is locked for now",
        ["second-factors-reset"] = "The second factors of your account with {{ practiceName }} were reset",
        ["task-reminder"] = "Reminder from {{ practiceName }}: a task is waiting for you",
        ["tasks-requested"] = "{{ practiceName }}: your provider has asked you to complete {{ taskCount }}",
        ["autopay-card-expiring"] = "Your card on file with {{ practiceName }} expires soon",
        ["autopay-suspended"] = "Autopay with {{ practiceName }} is paused",
        ["autopay-receipt"] = "Your receipt from {{ practiceName }}",
        ["autopay-refund"] = "{{ practiceName }} refunded {{ amount }} of your payment",
        ["insurance-returned"] = "{{ practiceName }} asks you to check your insurance details",
        // The same emails to a contact who receives a record's emails: they name the client the email is about.
        ["task-reminder-contact"] = "Reminder from {{ practiceName }}: a task for {{ clientFirstName }} is waiting",
        ["tasks-requested-contact"] = "{{ practiceName }}: {{ clientFirstName }}'s provider has asked you to complete {{ taskCount }}",
        ["autopay-card-expiring-contact"] = "The card for {{ clientFirstName }}'s autopay with {{ practiceName }} expires soon",
        ["autopay-suspended-contact"] = "Autopay for {{ clientFirstName }} with {{ practiceName }} is paused",
        ["autopay-refund-contact"] = "{{ practiceName }} refunded {{ amount }} of {{ clientFirstName }}'s payment",
        ["insurance-returned-contact"] = "{{ practiceName }} asks you to check {{ clientFirstName }}'s insurance details",
        ["provider-activity"] = "{{ clientName }} {{ action }}",
        ["provider-urgent"] = "Urgent: {{ clientName }} needs your attention today",
        ["provider-safety-escalation"] = "Reminder: a safety answer needs your attention",
        ["provider-email-change"] = "{{ clientName }} asked to change their login email",
        ["provider-health-access"] = "Support opened {{ clientName }}'s health information",
        ["provider-transfer"] = "{{ clientName }}: {{ subjectLine }}",
        ["provider-digest"] = "Your daily portal summary: {{ count }} updates",
        ["webhook-disabled"] = "{{ practiceName }}: a webhook endpoint was turned off after a day of failures",
    };

    /// <summary>
    /// The value naming the reader's language when it is not English (<see cref="Roster.EmailReader.Dress"/>): the email
    /// is then x.{language}.html.liquid and x.{language}.txt.liquid in _layout.{language}, and its subject the
    /// translation of the English one in <see cref="ClientText"/>. An email without a translation goes out in English.
    /// </summary>
    public const string LanguageKey = "language";

    /// <summary>The emails a client or their contact reads: each has a translation in every language (a test checks).</summary>
    public static IEnumerable<string> ClientNames => Names.Where(name =>
        !name.StartsWith("provider-", StringComparison.Ordinal) && name is not ("member-invitation" or "webhook-disabled"));

    private static readonly FluidParser Parser = new();
    private static readonly TemplateOptions Options = new() { StrictVariables = true };
    private static readonly ConcurrentDictionary<string, IFluidTemplate> Parsed = new();

    public static IEnumerable<string> Names => Subjects.Keys;

    public static async Task<RenderedEmail> RenderAsync(string name, IReadOnlyDictionary<string, string> values,
        IReadOnlyList<DigestLine>? lines, string? link)
    {
        if (!Subjects.TryGetValue(name, out var subjectSource))
            throw new PermanentDeliveryException($"Unknown email template '{name}'.");

        var context = new TemplateContext(Options);
        // An email composed before practices had a look (or for nobody's practice) wears the portal's own colour.
        context.SetValue("accentColor", "#1f5f8b");
        context.SetValue("logoUrl", string.Empty);
        foreach (var (key, value) in values) context.SetValue(key, value);
        // Links a client follows into the portal open its sign-in pages in the practice's look (staff links need not).
        foreach (var (key, value) in values.Where(v => v.Key is "portalLink" or "insuranceLink"))
            context.SetValue(key, Delivery.EmailSender.Branded(value, values));
        if (link is not null) context.SetValue("link", link);
        if (lines is not null)
        {
            context.SetValue("lines", lines
                .Select(l => new Dictionary<string, object> { ["text"] = l.Text, ["link"] = l.Link, ["urgent"] = l.Urgent })
                .ToList());
        }

        // The reader's language where this email has its translation (both bodies), else the English.
        var language = values.GetValueOrDefault(LanguageKey) is { } asked && Exists($"{name}.{asked}.html") && Exists($"{name}.{asked}.txt")
            ? asked : null;
        var localSubject = ClientText.Translate(subjectSource, language);
        var subject = (await Template($"subject:{language}:{name}", () => localSubject).RenderAsync(context, NullEncoder.Default))
            .ReplaceLineEndings(" ").Trim();
        context.SetValue("subject", subject);

        var html = await RenderWithLayoutAsync(context, name, language, "html", HtmlEncoder.Default);
        var text = await RenderWithLayoutAsync(context, name, language, "txt", NullEncoder.Default);
        return new RenderedEmail(subject, html, text);
    }

    private static async Task<string> RenderWithLayoutAsync(TemplateContext context, string name, string? language, string format,
        TextEncoder encoder)
    {
        var local = language is null ? format : $"{language}.{format}";
        var body = await Template($"{name}.{local}", () => Resource($"{name}.{local}")).RenderAsync(context, encoder);
        context.SetValue("body", body);
        return await Template($"_layout.{local}", () => Resource($"_layout.{local}")).RenderAsync(context, encoder);
    }

    /// <summary>Whether Templates/{name}.liquid is in this module (a translation, say).</summary>
    public static bool Exists(string name) =>
        typeof(EmailTemplates).Assembly.GetManifestResourceInfo($"templates/{name}.liquid") is not null;

    private static IFluidTemplate Template(string key, Func<string> source) =>
        Parsed.GetOrAdd(key, _ => Parser.TryParse(source(), out var template, out var error)
            ? template
            : throw new InvalidOperationException($"Email template '{key}' does not parse: {error}"));

    private static string Resource(string name)
    {
        using var stream = typeof(EmailTemplates).Assembly.GetManifestResourceStream($"templates/{name}.liquid")
            ?? throw new InvalidOperationException($"Email template file Templates/{name}.liquid is missing.");
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }
}
