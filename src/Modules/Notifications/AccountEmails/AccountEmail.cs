using Portal.Notifications.Delivery;
using Portal.Notifications.Roster;

namespace Portal.Notifications.AccountEmails;

/// <summary>
/// An email about a sign-in account, sent to the address the account module gave (which the roster may not know yet,
/// or no longer). <see cref="CausedBy"/> is the event or request behind it, so a replay gives the same delivery id.
/// </summary>
internal sealed record AccountEmail(string Template, Guid CausedBy, string To, string FirstName, SecretLink? Link = null)
{
    /// <summary>Greets the account's owner by first name, on behalf of the practice the address belongs to.</summary>
    public async Task<SendEmail> ComposeAsync(
        IQuerySession session, TimeProvider clock, Func<EmailReader, Dictionary<string, string>> values, CancellationToken cancellation)
    {
        var reader = await EmailReaders.ForAddressAsync(session, To, cancellation);
        var greeting = new Dictionary<string, string> { ["firstName"] = FirstName };
        foreach (var (key, value) in values(reader)) greeting[key] = value;
        return new SendEmail(DeterministicId.From(Template, CausedBy), CausedBy, Template, To, reader.Dress(greeting), clock.GetUtcNow(), Link);
    }
}
