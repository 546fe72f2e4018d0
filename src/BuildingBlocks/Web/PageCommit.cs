using FluentValidation.Results;
using Marten;
using Portal.BuildingBlocks.Validation;
using Wolverine;
using Wolverine.Marten;

namespace Portal.BuildingBlocks.Web;

/// <summary>
/// A page runs the same slice as its JSON endpoint but outside Wolverine's pipeline, so it commits what the slice did
/// itself: the documents and the messages the slice returned (scheduled ones included), through the outbox, in one
/// transaction, as Wolverine does after the endpoint.
/// </summary>
public static class PageCommit
{
    public static async Task CommitAsync(this IMartenOutbox outbox, IDocumentSession session, IEnumerable<object> messages,
        CancellationToken cancellation = default)
    {
        outbox.Enroll(session);
        foreach (var message in messages)
        {
            // A scheduled or otherwise wrapped message (ScheduledAt, DelayedFor) knows how to send itself.
            if (message is ISendMyself wrapped && outbox is IMessageContext context) await wrapped.ApplyAsync(context);
            else await outbox.PublishAsync(message);
        }
        await session.SaveChangesAsync(cancellation);
    }

    /// <summary>Commits the slice's work and messages, and hands back its outcome for the page to show.</summary>
    public static async Task<Outcome<T>> CommitAsync<T>(this IMartenOutbox outbox, IDocumentSession session,
        (Outcome<T> Outcome, OutgoingMessages Messages) done, CancellationToken cancellation = default)
    {
        await outbox.CommitAsync(session, done.Messages, cancellation);
        return done.Outcome;
    }

    /// <summary>A page's own validation of the slice's request, as the refusal the JSON endpoint would answer; null when valid.</summary>
    public static Refusal? AsRefusal(this ValidationResult validation) =>
        validation.IsValid ? null : Refusal.Invalid(ValidationProblems.ByField(validation.Errors));

    /// <summary>What a page that shows one line says about the outcome: every message of its refusal, or null when it succeeded.</summary>
    public static string? Problem<T>(this Outcome<T> outcome) => outcome.Succeeded ? null : string.Join(" ", outcome.Refusal.Messages());
}
