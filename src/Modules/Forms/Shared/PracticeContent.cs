using Portal.BuildingBlocks.Concurrency;

namespace Portal.Forms.Shared;

/// <summary>
/// A document or an intake form of a practice, as its lifecycle sees it: a working copy edited under a revision, published
/// as numbered versions, withdrawn when the practice no longer wants it asked for.
/// </summary>
internal interface IPracticeContent
{
    /// <summary>What a person calls it ("document", "form"): in refusals and in audit actions.</summary>
    static abstract string Noun { get; }

    Guid Id { get; set; }
    Guid PracticeId { get; set; }
    Guid ProviderId { get; set; }
    string Title { get; set; }
    int Revision { get; set; }
    DateTimeOffset CreatedAt { get; set; }
    DateTimeOffset UpdatedAt { get; set; }
    DateTimeOffset? WithdrawnAt { get; set; }
    int? LatestVersion { get; }
}

/// <summary>The steps that documents and intake forms share: create, load for a change, record a change, publish.</summary>
internal static class PracticeContent
{
    /// <summary>New content of the caller's practice at revision 1; <paramref name="body"/> fills in what the kind adds.</summary>
    public static T Create<T>(SliceContext context, string title, Action<T> body) where T : class, IPracticeContent, new()
    {
        var owner = FormsAccess.Owner(context.User)!.Value;
        var now = context.Clock.GetUtcNow();
        var content = new T
        {
            Id = Guid.CreateVersion7(),
            PracticeId = owner.PracticeId,
            ProviderId = owner.ProviderId,
            Title = title.Trim(),
            Revision = 1,
            CreatedAt = now,
            UpdatedAt = now,
        };
        body(content);
        context.Session.Insert(content);
        context.Audit($"forms.{T.Noun}.create", typeof(T).Name, content.Id.ToString());
        return content;
    }

    /// <summary>
    /// The content for a change by the caller, under its edit lock: 404 when it is not theirs to manage, 409 when the
    /// editor loaded another <paramref name="revision"/> than the current one (<paramref name="doing"/> names the change).
    /// </summary>
    public static async Task<Outcome<T>> ForChangeAsync<T>(SliceContext context, Guid id, int? revision = null, string doing = "saving")
        where T : class, IPracticeContent
    {
        // Parallel changes of one record wait here for each other, so the revision check below lets one through.
        var content = await EditLock.LoadLockedAsync<T>(context.Session, id, context.Cancellation);
        if (content is null || !FormsAccess.CanManage(context.User, content.PracticeId, content.ProviderId)) return Refusal.NotFound(T.Noun);
        if (revision is { } loaded && content.Revision != loaded)
            return Refusal.Conflict($"The {T.Noun} was changed elsewhere (revision {content.Revision}); reload it before {doing}.");
        return Outcome<T>.Ok(content);
    }

    /// <summary>
    /// Saves the working copy: the title, and what <paramref name="body"/> sets. Published versions are untouched: a
    /// change shows up only when it is published.
    /// </summary>
    public static async Task<Outcome<T>> SaveAsync<T>(SliceContext context, Guid id, int revision, string title, Action<T> body)
        where T : class, IPracticeContent
    {
        var outcome = await ForChangeAsync<T>(context, id, revision);
        if (!outcome.Succeeded) return outcome;
        outcome.Value.Title = title.Trim();
        body(outcome.Value);
        Changed(context, outcome.Value, "save");
        return outcome;
    }

    /// <summary>A change to the working copy or its versions: the next revision, stored and audited as <paramref name="action"/>.</summary>
    public static void Changed<T>(SliceContext context, T content, string action, string? recordId = null) where T : class, IPracticeContent
    {
        content.Revision++;
        content.UpdatedAt = context.Clock.GetUtcNow();
        context.Session.Store(content);
        context.Audit($"forms.{T.Noun}.{action}", typeof(T).Name, recordId ?? content.Id.ToString());
    }

    /// <summary>A new version was published: the content is offered again if it had been withdrawn.</summary>
    public static void Published<T>(SliceContext context, T content, int version) where T : class, IPracticeContent
    {
        content.WithdrawnAt = null;
        Changed(context, content, "publish", $"{content.Id}/v{version}");
    }
}
