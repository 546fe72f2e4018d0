using JasperFx.Events;
using Microsoft.Extensions.DependencyInjection;
using Portal.BuildingBlocks.Data;
using Portal.Contracts;
using Portal.Insurance.Plans;
using Portal.Insurance.Roster;

namespace Portal.Insurance;

/// <summary>
/// Who changes which client's insurance: the client's card, the actor the events name, the client's insurance stream
/// fetched for writing (a change appends at the version that was read), and the request the audit entry describes.
/// Public only because the endpoints' Load methods hand it to Wolverine's generated code.
/// </summary>
public sealed record InsuranceEdit(InsuranceClient Client, Actor By, IEventStream<ClientInsurance> Insurance, HttpContext Http)
{
    public long Version => Insurance.CurrentVersion ?? 0;

    public CancellationToken Cancellation => Http.RequestAborted;

    /// <summary>A change made from any version but the current one is refused: the other person's change is kept.</summary>
    public Refusal? Stale(long expectedVersion) => Version == expectedVersion ? null : InsuranceAccess.StaleEdit(Version);

    public void Audit(IDocumentSession session, TimeProvider clock, string action, string outcome) =>
        Portal.BuildingBlocks.Auditing.Audit.Record(session, Http, clock, action, nameof(ClientInsurance), Client.Id.ToString(),
            Client.Id, outcome);

    /// <summary>Every change of the insurance itself is audited as "insurance.change" ("primary added").</summary>
    public void AuditChange(PlanRank rank, InsuranceChange change, IDocumentSession session, TimeProvider clock) =>
        Audit(session, clock, "insurance.change", $"{rank.Name()} {change.ToString().ToLowerInvariant()}");

    /// <summary>What the other modules are told, once per change.</summary>
    public InsuranceChanged Changed(PlanRank rank, InsuranceChange change, DateTimeOffset at) =>
        new(Guid.CreateVersion7(), Client.Id, Client.ProviderId, change, rank, By, at);
}

/// <summary>
/// Who may see and change a client's insurance: the client themselves (changes only with an active portal account)
/// and their own provider; support may read it under a break-glass grant. Anyone else is told the client does not exist.
/// </summary>
internal static class InsuranceAccess
{
    public const string NoAccountTitle = "Your portal account is not active.";

    public const string NoAccountDetail =
        "Insurance can be changed here only with an active portal account. Your provider can update your insurance for you, " +
        "or send you an invitation to activate your account.";

    public static readonly Refusal NoAccount = Refusal.Forbidden(NoAccountTitle, NoAccountDetail);

    public static readonly Refusal NoSuchClient = new(StatusCodes.Status404NotFound, "No such client.");

    public static Refusal StaleEdit(long currentVersion) => Refusal.Conflict("This insurance was changed since you opened it.",
            "Someone saved a change after you opened this form, so your change was not saved and theirs is kept. " +
            "Reload to see the current details, then make your change again.")
        .With("currentVersion", currentVersion);

    /// <summary>
    /// The client or their own provider may see the client's insurance; support only under a break-glass grant
    /// (403 without one, so support knows to record a reason).
    /// </summary>
    public static async Task<Outcome<InsuranceClient>> SeeAsync(IQuerySession session, HttpContext http, Guid clientId)
    {
        var card = await session.LoadAsync<InsuranceClient>(clientId, http.RequestAborted);
        return await MaySeeAsync(card, http) ?? (Outcome<InsuranceClient>)card!;
    }

    /// <summary>Null when the caller may see this client's insurance (a card photo, the plans); else the refusal.</summary>
    public static async Task<Refusal?> MaySeeAsync(InsuranceClient? card, HttpContext http)
    {
        if (card is null || CurrentUser.From(http.User) is not { } user) return NoSuchClient;
        if (card.IsOwnedBy(user)) return null;
        if (!user.IsSupport) return NoSuchClient;
        var grants = http.RequestServices.GetRequiredService<IBreakGlassGrants>();
        return await grants.MaySeeAsync(user, card.Id, http.RequestAborted) ? null : HealthInformation.HiddenFromSupport;
    }

    /// <summary>
    /// The signed-in client changing their own insurance, only with an active portal account. The card and the stream
    /// come in one round trip to the database: the client's own save is the hot path of every insurance task.
    /// </summary>
    public static async Task<Outcome<InsuranceEdit>> ClientEditsAsync(IDocumentSession session, HttpContext http)
    {
        if (CurrentUser.From(http.User) is not { ClientId: { } clientId } user) return NoAccount;
        var (card, stream) = await LoadForWritingAsync(session, clientId, http.RequestAborted);
        return card is { HasActiveAccount: true } ? new InsuranceEdit(card, user.AsActor(), stream, http) : NoAccount;
    }

    /// <summary>The client's own provider changing the client's insurance (or reviewing it).</summary>
    public static async Task<Outcome<InsuranceEdit>> ProviderEditsAsync(IDocumentSession session, HttpContext http, Guid clientId)
    {
        if (CurrentUser.From(http.User) is not { } user) return NoSuchClient;
        var (card, stream) = await LoadForWritingAsync(session, clientId, http.RequestAborted);
        // A client just added may not be in this copy yet: wait for it (RosterArrival). The stream fetched above stays
        // good: an append by anyone meanwhile still fails the revision check at commit.
        card ??= await RosterArrival.LaterAsync<InsuranceClient>(session.DocumentStore, clientId, http.RequestAborted);
        return card is not null && card.IsOwnedBy(user) ? new InsuranceEdit(card, user.AsActor(), stream, http) : NoSuchClient;
    }

    private static async Task<(InsuranceClient? Card, IEventStream<ClientInsurance> Stream)> LoadForWritingAsync(
        IDocumentSession session, Guid clientId, CancellationToken cancellation)
    {
        var batch = session.CreateBatchQuery();
        var cardLoad = batch.Load<InsuranceClient>(clientId);
        var streamFetch = batch.Events.FetchForWriting<ClientInsurance>(clientId);
        await batch.Execute(cancellation);
        return (await cardLoad, await streamFetch);
    }

    /// <summary>For Wolverine's Load methods: the value the endpoint goes on with, or the refusal that ends the request.</summary>
    public static (T?, IResult) ToLoaded<T>(this Outcome<T> outcome, HttpContext http) where T : class =>
        outcome.Succeeded ? (outcome.Value, WolverineContinue.Result()) : (null, outcome.Refusal.ToProblem(http));

    /// <summary>
    /// A page commits its own session (Wolverine's middleware commits the endpoints'). Two saves that both passed the
    /// version check race to commit and the event store refuses the second: a stale edit like any other. The session,
    /// and the messages enrolled in it, is then spent: the page reads the current state in a fresh one.
    /// </summary>
    public static async Task<Outcome<T>> CommittedAsync<T>(this Task<Outcome<T>> work, IDocumentSession session,
        CancellationToken cancellation)
    {
        var outcome = await work;
        if (!outcome.Succeeded) return outcome;
        try
        {
            await session.SaveChangesAsync(cancellation);
            return outcome;
        }
        catch (JasperFx.ConcurrencyException)
        {
            return StaleEdit(-1);
        }
    }
}
