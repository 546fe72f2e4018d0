using Portal.Notifications.Delivery;
using Portal.Notifications.Roster;

namespace Portal.Notifications.ClientEmails;

/// <summary>
/// An email to a client about their care at the practice: <see cref="Template"/> names it, <see cref="CausedBy"/> is
/// the event behind it, so a replay gives the same delivery id and the email goes out once.
/// </summary>
internal sealed record ClientEmail(string Template, Guid CausedBy, Guid ClientId)
{
    /// <summary>
    /// Addressed from this module's copy of the roster (retried until it knows the client), greeting the client by first
    /// name on the practice's behalf, with <paramref name="values"/> for the rest of the template.
    /// </summary>
    public Task<SendEmail> ComposeAsync(
        IQuerySession session, TimeProvider clock, Dictionary<string, string> values, CancellationToken cancellation) =>
        ComposeForReaderAsync(session, clock, _ => values, cancellation);

    /// <summary>As above, with values that need the reader (dates in the client's zone).</summary>
    public async Task<SendEmail> ComposeForReaderAsync(
        IQuerySession session, TimeProvider clock, Func<EmailReader, Dictionary<string, string>> values, CancellationToken cancellation)
    {
        var client = await Recipients.ClientAsync(session, ClientId, cancellation);
        var reader = await EmailReaders.ForClientAsync(session, client, cancellation);
        var greeting = new Dictionary<string, string> { ["firstName"] = client.FirstName };
        foreach (var (key, value) in values(reader)) greeting[key] = value;
        return new SendEmail(DeterministicId.From(Template, CausedBy), CausedBy, Template, client.Email, reader.Dress(greeting),
            clock.GetUtcNow());
    }
}
