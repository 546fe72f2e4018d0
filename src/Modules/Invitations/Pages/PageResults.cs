using Marten;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Wolverine.Marten;

namespace Portal.Invitations.Pages;

/// <summary>
/// Pages run the same slice code as the JSON endpoints; this commits what the slice did (documents and outgoing
/// messages, through the outbox) and turns its answer into a message for the page, or null when it succeeded.
/// </summary>
internal static class PageResults
{
    public static async Task<string?> CommitAsync(IResult result, IEnumerable<object> messages, IDocumentSession session, IMartenOutbox outbox)
    {
        outbox.Enroll(session);
        foreach (var message in messages) await outbox.PublishAsync(message);
        await session.SaveChangesAsync();
        return ProblemOf(result);
    }

    public static string? ProblemOf(IResult result) => result switch
    {
        ProblemHttpResult { ProblemDetails: HttpValidationProblemDetails validation } => string.Join(" ", validation.Errors.SelectMany(e => e.Value)),
        ProblemHttpResult problem => problem.ProblemDetails.Title,
        IStatusCodeHttpResult { StatusCode: >= 400 } => "That did not work. Try again.",
        _ => null,
    };
}
