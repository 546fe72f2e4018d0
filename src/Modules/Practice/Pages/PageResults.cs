using Marten;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Wolverine.Marten;

namespace Portal.Practice.Pages;

/// <summary>Commits what a slice did for a page (documents and messages through the outbox); returns the problem or null.</summary>
internal static class PageResults
{
    public static async Task<string?> CommitAsync(IResult result, IEnumerable<object> messages, IDocumentSession session, IMartenOutbox outbox)
    {
        outbox.Enroll(session);
        foreach (var message in messages) await outbox.PublishAsync(message);
        await session.SaveChangesAsync();
        return result switch
        {
            ProblemHttpResult { ProblemDetails: HttpValidationProblemDetails validation } => string.Join(" ", validation.Errors.SelectMany(e => e.Value)),
            ProblemHttpResult problem => problem.ProblemDetails.Title,
            IStatusCodeHttpResult { StatusCode: >= 400 } => "That did not work. Try again.",
            _ => null,
        };
    }

    public static string? Invalid(FluentValidation.Results.ValidationResult validation) =>
        validation.IsValid ? null : string.Join(" ", validation.Errors.Select(e => e.ErrorMessage).Distinct());
}
