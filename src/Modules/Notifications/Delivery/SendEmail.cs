using Microsoft.AspNetCore.DataProtection;
using Microsoft.Extensions.Logging;
using MimeKit;
using Portal.BuildingBlocks.Concurrency;
using Portal.Notifications.Templates;
using Wolverine.ErrorHandling;
using Wolverine.Runtime.Handlers;

namespace Portal.Notifications.Delivery;

/// <summary>One line of a digest email.</summary>
public sealed record DigestLine(string Text, string Link, bool Urgent);

/// <summary>
/// Render and send one email. <see cref="DeliveryId"/> is derived from the causing event (and the recipient), so a
/// replayed event produces the same id; the delivery log keyed by it lets the email go out once.
/// Secret links stay protected in the message (it rests in the durable inbox) and are unprotected only here.
/// </summary>
public sealed record SendEmail(
    Guid DeliveryId,
    Guid CausedBy,
    string Template,
    string To,
    Dictionary<string, string> Values,
    DateTimeOffset RequestedAt,
    SecretLink? Link = null,
    List<DigestLine>? Lines = null);

/// <summary>
/// Sends an email at most once per delivery id: an advisory lock on the id makes twins wait, and the "Sent" line is
/// recorded in the transaction that marks the inbox envelope handled. A crash between the SMTP server's acceptance and
/// that commit sends a second copy with the same Message-ID (docs/email.md).
/// </summary>
public sealed class SendEmailHandler
{
    /// <summary>Inline retries with cooldown, then durable scheduled retries, then the dead letter queue.</summary>
    internal static readonly TimeSpan[] Cooldowns = [TimeSpan.FromMilliseconds(250), TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(5)];

    internal static readonly TimeSpan[] ScheduledRetries =
        [TimeSpan.FromMinutes(1), TimeSpan.FromMinutes(5), TimeSpan.FromMinutes(30), TimeSpan.FromHours(2)];

    internal static int MaximumAttempts => Cooldowns.Length + ScheduledRetries.Length + 1;

    public static void Configure(HandlerChain chain)
    {
        chain.OnException<TransientDeliveryException>()
            .RetryWithCooldown(Cooldowns)
            .Then.ScheduleRetry(ScheduledRetries)
            .Then.MoveToErrorQueue();
        chain.OnException<PermanentDeliveryException>().MoveToErrorQueue();
    }

    public static async Task Handle(SendEmail message, IDocumentSession session, IDocumentStore store, EmailSender sender, Envelope envelope,
        ILogger<SendEmailHandler> logger, CancellationToken cancellation)
    {
        // Serialize work on one delivery id across nodes: a twin SendEmail waits here until this transaction ends,
        // then sees the "Sent" line this one recorded.
        var record = await EditLock.LoadLockedAsync<DeliveryRecord>(session, message.DeliveryId, cancellation);
        if (record is { Status: DeliveryStatus.Sent })
        {
            logger.LogInformation("Delivery {DeliveryId} was already sent; not sending it again", message.DeliveryId);
            return;
        }

        record ??= new DeliveryRecord { Id = message.DeliveryId, RequestedAt = message.RequestedAt };
        try
        {
            await sender.DeliverAsync(message, record, cancellation);
        }
        catch (Exception e) when (e is TransientDeliveryException or PermanentDeliveryException)
        {
            // The handler's transaction rolls back on failure, so the failure is logged in a session of its own.
            var givenUp = e is PermanentDeliveryException || envelope.Attempts >= MaximumAttempts;
            record.Status = givenUp ? DeliveryStatus.Failed : DeliveryStatus.Retrying;
            await using var log = store.LightweightSession();
            log.Store(record);
            await log.SaveChangesAsync(cancellation);
            logger.LogWarning("Delivery {DeliveryId} ({Template}) attempt {Attempt} failed: {Error}",
                message.DeliveryId, message.Template, envelope.Attempts, e.Message);
            throw;
        }

        session.Store(record);
    }
}

/// <summary>
/// Renders an email and hands it to SMTP, for <see cref="SendEmailHandler"/> and for the handlers that send their email
/// at once. Secret links are unprotected here, just before sending.
/// </summary>
public sealed class EmailSender(IDataProtectionProvider protection, IConfiguration configuration, TimeProvider clock, ILogger<EmailSender> logger)
{
    /// <summary>
    /// Sends <paramref name="email"/> now, in the caller's transaction: one transaction and one inbox envelope fewer per
    /// email for the emails that come in thousands (docs/performance.md, "Email"). The caller holds the delivery's edit
    /// lock and passes the record it loaded, or null; any failure hands the email to SendEmail in the returned messages.
    /// </summary>
    internal async Task<OutgoingMessages> SendNowAsync(
        IDocumentSession session, SendEmail email, DeliveryRecord? delivery, CancellationToken cancellation)
    {
        var messages = new OutgoingMessages();
        delivery ??= new DeliveryRecord { Id = email.DeliveryId, RequestedAt = email.RequestedAt };
        if (delivery.Status == DeliveryStatus.Sent) return messages;

        try
        {
            await DeliverAsync(email, delivery, cancellation);
        }
        catch (Exception e) when (e is TransientDeliveryException or PermanentDeliveryException)
        {
            delivery.Status = DeliveryStatus.Retrying;
            messages.Add(email);
            logger.LogWarning("Delivery {DeliveryId} ({Template}) first attempt failed, handed to its retries: {Error}",
                email.DeliveryId, email.Template, e.Message);
        }
        session.Store(delivery);
        return messages;
    }

    /// <summary>
    /// One attempt: renders the email and hands it to SMTP, counting the attempt on <paramref name="record"/> (the caller
    /// holds the delivery's edit lock and stores the record). Success leaves the record <see cref="DeliveryStatus.Sent"/> and logs it;
    /// a failure throws <see cref="TransientDeliveryException"/> or <see cref="PermanentDeliveryException"/> with the
    /// error on the record and its status left to the caller.
    /// </summary>
    /// <summary>The practice's logo as an absolute address (mail clients fetch it from the portal's site).</summary>
    private Dictionary<string, string> Branded(Dictionary<string, string> values)
    {
        if (!values.TryGetValue("logoPath", out var path)) return values;
        return new Dictionary<string, string>(values) { ["logoUrl"] = Links.PublicUrl(configuration) + path };
    }

    /// <summary>
    /// A link into the portal names the practice (<c>practice=</c>), so the sign-in pages it opens wear the practice's
    /// look before anyone signs in, and the reader's language when it is not English (<c>lang=</c>), so they open in
    /// it. Only the practice's id and a language code are added: no secret.
    /// </summary>
    internal static string? Branded(string? link, IReadOnlyDictionary<string, string> values)
    {
        if (link is null) return null;
        if (values.TryGetValue("practiceId", out var practiceId) && !link.Contains("practice=", StringComparison.Ordinal))
            link += (link.Contains('?') ? "&" : "?") + "practice=" + Uri.EscapeDataString(practiceId);
        if (values.TryGetValue(EmailTemplates.LanguageKey, out var language) && !link.Contains("lang=", StringComparison.Ordinal))
            link += (link.Contains('?') ? "&" : "?") + "lang=" + Uri.EscapeDataString(language);
        return link;
    }

    internal async Task DeliverAsync(SendEmail message, DeliveryRecord record, CancellationToken cancellation)
    {
        var settings = SmtpSettings.Read(configuration);
        var rendered = await EmailTemplates.RenderAsync(
            message.Template, Branded(message.Values), message.Lines, Branded(SecretLinks.Unprotect(protection, message.Link), message.Values));

        record.CausedBy = message.CausedBy;
        record.Template = message.Template;
        record.To = message.To;
        record.Subject = rendered.Subject;
        record.MessageId = $"{message.DeliveryId:N}@{settings.MessageIdDomain}";
        record.Attempts = Math.Max(record.Attempts, 0) + 1;
        record.LastAttemptAt = clock.GetUtcNow();

        var mime = new MimeMessage { MessageId = record.MessageId, Subject = rendered.Subject, Date = clock.GetUtcNow() };
        mime.From.Add(settings.Sender);
        mime.To.Add(MailboxAddress.Parse(message.To));
        mime.Body = new BodyBuilder { TextBody = rendered.Text, HtmlBody = rendered.Html }.ToMessageBody();

        try
        {
            await SmtpMailer.SendAsync(settings, mime, cancellation);
        }
        catch (Exception e) when (e is TransientDeliveryException or PermanentDeliveryException)
        {
            record.LastError = e.Message;
            throw;
        }

        record.Status = DeliveryStatus.Sent;
        record.SentAt = clock.GetUtcNow();
        record.LastError = null;
        logger.LogInformation("Delivery {DeliveryId} ({Template}) sent as {MessageId}", message.DeliveryId, message.Template, record.MessageId);
    }
}
