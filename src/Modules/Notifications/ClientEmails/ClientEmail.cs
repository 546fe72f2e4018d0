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
    public async Task<SendEmail> ComposeAsync(
        IQuerySession session, TimeProvider clock, Dictionary<string, string> values, CancellationToken cancellation)
    {
        var client = await Recipients.ClientAsync(session, ClientId, cancellation);
        var greeting = new Dictionary<string, string> { ["firstName"] = client.FirstName, ["practiceName"] = client.PracticeName };
        foreach (var (key, value) in values) greeting[key] = value;
        return new SendEmail(DeterministicId.From(Template, CausedBy), CausedBy, Template, client.Email, greeting, clock.GetUtcNow());
    }
}
