namespace Portal.Forms.Pages.Shared;

/// <summary>What the document and form editors do after a slice: commit and say so, or show the refusal.</summary>
public abstract class EditorPage : PageModel
{
    internal IReadOnlyList<string> Errors { get; private protected set; } = [];

    internal string? Message { get; private protected set; }

    private protected async Task<bool> CommitAsync<T>(Outcome<T> outcome, IDocumentSession changes, Func<T, string> message,
        CancellationToken cancellation)
    {
        if (!outcome.Succeeded)
        {
            Errors = [.. outcome.Refusal.Messages()];
            return false;
        }
        await changes.SaveChangesAsync(cancellation);
        Message = message(outcome.Value);
        return true;
    }
}
