using Marten;
using JasperFx.Events;
using Microsoft.AspNetCore.Http;
using Portal.BuildingBlocks.Auditing;
using Portal.BuildingBlocks.Security;
using Portal.Contracts;
using Portal.Insurance.Payers;
using Portal.Insurance.Photos;
using Portal.Insurance.Roster;
using Wolverine;

namespace Portal.Insurance.Plans;

/// <summary>What an insurance action came to: a success body, or a refusal with its status and reason.</summary>
internal sealed record DeskOutcome(int Status, string? Title = null, string? Detail = null, object? Body = null, long? CurrentVersion = null)
{
    public bool Succeeded => Status < 400;

    public IResult ToResult() => Succeeded
        ? Results.Json(Body, statusCode: Status)
        : Results.Problem(statusCode: Status, title: Title, detail: Detail,
            extensions: CurrentVersion is { } version ? new Dictionary<string, object?> { ["currentVersion"] = version } : null);

    public static DeskOutcome NotFound(string title) => new(StatusCodes.Status404NotFound, title);
}

internal sealed record SavedInsurance(long Version);

/// <summary>
/// The insurance actions, shared by the JSON endpoints and the pages. Each one checks who may act, appends the events
/// at the version the caller saw, records the audit entry and publishes <see cref="InsuranceChanged"/> once per change
/// through the caller's outbox. The caller's transaction (Wolverine's middleware or the page) commits it all together.
/// </summary>
internal static class InsuranceDesk
{
    public const string NoAccountTitle = "Your portal account is not active.";

    public const string NoAccountDetail =
        "Insurance can be changed here only with an active portal account. Your provider can update your insurance for you, " +
        "or send you an invitation to activate your account.";

    /// <summary>The client changing their own insurance: only with an active portal account.</summary>
    public static async Task<(InsuranceClient? Card, DeskOutcome? Refusal)> ClientMayChangeAsync(IQuerySession session, CurrentUser user, CancellationToken cancellation)
    {
        var card = user.ClientId is { } id ? await session.LoadAsync<InsuranceClient>(id, cancellation) : null;
        if (card is null || !card.HasActiveAccount)
            return (null, new DeskOutcome(StatusCodes.Status403Forbidden, NoAccountTitle, NoAccountDetail));
        return (card, null);
    }

    /// <summary>
    /// <see cref="ClientMayChangeAsync"/> with the client's insurance stream fetched for writing in the same round trip
    /// to the database (the client's own save is the hot path of every insurance task).
    /// </summary>
    public static async Task<(InsuranceClient? Card, IEventStream<ClientInsurance>? Stream, DeskOutcome? Refusal)> ClientMayChangeForWritingAsync(
        IDocumentSession session, CurrentUser user, CancellationToken cancellation)
    {
        if (user.ClientId is not { } id) return (null, null, new DeskOutcome(StatusCodes.Status403Forbidden, NoAccountTitle, NoAccountDetail));
        var batch = session.CreateBatchQuery();
        var cardLoad = batch.Load<InsuranceClient>(id);
        var streamFetch = batch.Events.FetchForWriting<ClientInsurance>(id);
        await batch.Execute(cancellation);
        var card = await cardLoad;
        if (card is null || !card.HasActiveAccount)
            return (null, null, new DeskOutcome(StatusCodes.Status403Forbidden, NoAccountTitle, NoAccountDetail));
        return (card, await streamFetch, null);
    }

    /// <summary>The client or their own provider; anyone else is told the client does not exist.</summary>
    public static async Task<(InsuranceClient? Card, DeskOutcome? Refusal)> MaySeeAsync(IQuerySession session, CurrentUser user, Guid clientId, CancellationToken cancellation)
    {
        var card = await session.LoadAsync<InsuranceClient>(clientId, cancellation);
        return card is not null && card.IsOwnedBy(user) ? (card, null) : (null, DeskOutcome.NotFound("No such client."));
    }

    public static async Task<DeskOutcome> SavePlanAsync(IDocumentSession session, IMessageBus bus, TimeProvider clock, HttpContext http,
        InsuranceClient card, Actor actor, PlanRank rank, SavePlanRequest request, IReadOnlyList<(CardSide Side, CleanImage Image)> photos,
        CancellationToken cancellation) =>
        await SavePlanAsync(session, bus, clock, http, card, await session.Events.FetchForWriting<ClientInsurance>(card.Id, cancellation),
            actor, rank, request, photos);

    /// <summary>The same, on the client's insurance stream already fetched for writing.</summary>
    public static async Task<DeskOutcome> SavePlanAsync(IDocumentSession session, IMessageBus bus, TimeProvider clock, HttpContext http,
        InsuranceClient card, IEventStream<ClientInsurance> stream, Actor actor, PlanRank rank, SavePlanRequest request,
        IReadOnlyList<(CardSide Side, CleanImage Image)> photos)
    {
        if (Stale(stream.CurrentVersion, request.ExpectedVersion) is { } stale) return stale;

        var now = clock.GetUtcNow();
        var details = ToDetails(request);
        var existing = stream.Aggregate?.Plan(rank);
        var events = new List<object>();
        if (existing is null) events.Add(new PlanAdded(rank, details, actor, now));
        else if (existing.Details != details) events.Add(new PlanUpdated(rank, details, actor, now));
        foreach (var (side, image) in photos)
        {
            events.Add(AttachPhoto(session, card, rank, side, image, existing?.PhotoId(side), actor, now));
        }

        var version = stream.CurrentVersion ?? 0;
        if (events.Count == 0) return new DeskOutcome(StatusCodes.Status200OK, Body: new SavedInsurance(version));

        stream.AppendMany(events);
        var change = existing is null ? InsuranceChange.Added : InsuranceChange.Updated;
        await RecordChangeAsync(session, bus, clock, http, card, actor, rank, change, now);
        return new DeskOutcome(StatusCodes.Status200OK, Body: new SavedInsurance(version + events.Count));
    }

    public static async Task<DeskOutcome> AttachPhotoAsync(IDocumentSession session, IMessageBus bus, TimeProvider clock, HttpContext http,
        InsuranceClient card, Actor actor, PlanRank rank, CardSide side, CleanImage image, long expectedVersion, CancellationToken cancellation)
    {
        var stream = await session.Events.FetchForWriting<ClientInsurance>(card.Id, cancellation);
        if (Stale(stream.CurrentVersion, expectedVersion) is { } stale) return stale;
        if (stream.Aggregate?.Plan(rank) is not { } plan)
            return DeskOutcome.NotFound($"There is no {RankName(rank)} plan yet: add it before its card photos.");

        var now = clock.GetUtcNow();
        stream.AppendOne(AttachPhoto(session, card, rank, side, image, plan.PhotoId(side), actor, now));
        await RecordChangeAsync(session, bus, clock, http, card, actor, rank, InsuranceChange.Updated, now);
        return new DeskOutcome(StatusCodes.Status200OK, Body: new SavedInsurance(expectedVersion + 1));
    }

    public static async Task<DeskOutcome> RemovePlanAsync(IDocumentSession session, IMessageBus bus, TimeProvider clock, HttpContext http,
        InsuranceClient card, Actor actor, PlanRank rank, long expectedVersion, CancellationToken cancellation)
    {
        var stream = await session.Events.FetchForWriting<ClientInsurance>(card.Id, cancellation);
        if (Stale(stream.CurrentVersion, expectedVersion) is { } stale) return stale;
        if (stream.Aggregate?.Plan(rank) is not { } plan) return DeskOutcome.NotFound($"There is no {RankName(rank)} plan to remove.");

        var now = clock.GetUtcNow();
        stream.AppendOne(new PlanRemoved(rank, actor, now));
        foreach (var photo in new[] { plan.FrontPhotoId, plan.BackPhotoId }.OfType<Guid>()) CardPhotoStore.Delete(session, photo);
        await RecordChangeAsync(session, bus, clock, http, card, actor, rank, InsuranceChange.Removed, now);
        return new DeskOutcome(StatusCodes.Status200OK, Body: new SavedInsurance(expectedVersion + 1));
    }

    /// <summary>The provider's review: verified, or sent back to the client with a message. Not a change of the insurance itself.</summary>
    public static async Task<DeskOutcome> ReviewAsync(IDocumentSession session, IMessageBus bus, TimeProvider clock, HttpContext http,
        InsuranceClient card, Actor actor, PlanRank rank, long expectedVersion, string? returnMessage, CancellationToken cancellation)
    {
        var stream = await session.Events.FetchForWriting<ClientInsurance>(card.Id, cancellation);
        if (Stale(stream.CurrentVersion, expectedVersion) is { } stale) return stale;
        if (stream.Aggregate?.Plan(rank) is null) return DeskOutcome.NotFound($"There is no {RankName(rank)} plan to review.");

        var now = clock.GetUtcNow();
        stream.AppendOne(returnMessage is null ? new PlanVerified(rank, actor, now) : new PlanReturned(rank, returnMessage.Trim(), actor, now));
        Audit.Record(session, http, clock, returnMessage is null ? "insurance.verify" : "insurance.return", "ClientInsurance",
            card.Id.ToString(), card.Id, RankName(rank));
        // The client is told what to fix by email; verifying needs no message.
        if (returnMessage is not null)
            await bus.PublishAsync(new InsurancePlanReturned(Guid.CreateVersion7(), card.Id, card.ProviderId, rank, returnMessage.Trim(), actor, now));
        return new DeskOutcome(StatusCodes.Status200OK, Body: new SavedInsurance(expectedVersion + 1));
    }

    /// <summary>The client's insurance as the caller may see it, with the history when asked; the read is audited.</summary>
    public static async Task<InsuranceView> ReadAsync(IDocumentSession session, TimeProvider clock, HttpContext http, InsuranceClient card,
        CancellationToken cancellation)
    {
        var insurance = await session.LoadAsync<ClientInsurance>(card.Id, cancellation);
        var events = insurance is null ? [] : await session.Events.FetchStreamAsync(card.Id, token: cancellation);
        Audit.Record(session, http, clock, "insurance.read", "ClientInsurance", card.Id.ToString(), card.Id);
        return InsuranceView.From(card, insurance, events.Select(e => e.Data));
    }

    public static PlanRank? ParseRank(string rank) => rank.ToLowerInvariant() switch
    {
        "primary" => PlanRank.Primary,
        "secondary" => PlanRank.Secondary,
        _ => null,
    };

    public static CardSide? ParseSide(string side) => side.ToLowerInvariant() switch
    {
        "front" => CardSide.Front,
        "back" => CardSide.Back,
        _ => null,
    };

    public static string RankName(PlanRank rank) => rank == PlanRank.Primary ? "primary" : "secondary";

    public static DeskOutcome? Stale(long? currentVersion, long expectedVersion)
    {
        var current = currentVersion ?? 0;
        return current == expectedVersion
            ? null
            : new DeskOutcome(StatusCodes.Status409Conflict, "This insurance was changed since you opened it.",
                "Someone saved a change after you opened this form, so your change was not saved and theirs is kept. " +
                "Reload to see the current details, then make your change again.", CurrentVersion: current);
    }

    private static CardPhotoAttached AttachPhoto(IDocumentSession session, InsuranceClient card, PlanRank rank, CardSide side, CleanImage image,
        Guid? replaced, Actor actor, DateTimeOffset now)
    {
        var photoId = Guid.CreateVersion7();
        CardPhotoStore.Insert(session, photoId, card.Id, image, now);
        if (replaced is { } old) CardPhotoStore.Delete(session, old);
        return new CardPhotoAttached(rank, side, photoId, image.ContentType, image.Content.LongLength, actor, now);
    }

    private static async Task RecordChangeAsync(IDocumentSession session, IMessageBus bus, TimeProvider clock, HttpContext http,
        InsuranceClient card, Actor actor, PlanRank rank, InsuranceChange change, DateTimeOffset now)
    {
        Audit.Record(session, http, clock, "insurance.change", "ClientInsurance", card.Id.ToString(), card.Id,
            $"{RankName(rank)} {change.ToString().ToLowerInvariant()}");
        await bus.PublishAsync(new InsuranceChanged(Guid.CreateVersion7(), card.Id, card.ProviderId, change, rank, actor, now));
    }

    private static PlanDetails ToDetails(SavePlanRequest r)
    {
        var payer = PayerDirectory.Find(r.PayerId)!;
        var payerName = payer.Id == PayerDirectory.OtherId ? r.OtherPayerName!.Trim() : payer.Name;
        var subscriber = r.Subscriber.IsClient
            ? new Subscriber(true, null, null, null)
            : new Subscriber(false, r.Subscriber.Name!.Trim(), r.Subscriber.DateOfBirth, r.Subscriber.Relationship);
        return new PlanDetails(payer.Id, payerName, r.PlanName.Trim(), r.MemberId.Trim(), string.IsNullOrWhiteSpace(r.GroupNumber) ? null : r.GroupNumber.Trim(), subscriber);
    }
}
