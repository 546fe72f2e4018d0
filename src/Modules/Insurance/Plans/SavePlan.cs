using Portal.BuildingBlocks.Validation;
using Portal.Contracts;
using Portal.Insurance.Payers;
using Portal.Insurance.Photos;

namespace Portal.Insurance.Plans;

// Saving a plan: the client's PUT, the provider's PUT, and the plan form of both insurance pages all end in SaveAsync.

/// <summary>
/// A plan as the client (or their provider) enters it. <see cref="ExpectedVersion"/> is the insurance version the
/// form was opened at (0 when there was none): if anyone changed it since, the save is refused with 409.
/// </summary>
public sealed record SavePlanRequest(long ExpectedVersion, string PayerId, string? OtherPayerName, string PlanName, string MemberId,
    string? GroupNumber, SubscriberRequest Subscriber);

/// <summary>The plan holder: the client themselves, or another person (the client is then their dependent).</summary>
public sealed record SubscriberRequest(bool IsClient, string? Name, DateOnly? DateOfBirth, string? Relationship);

/// <summary>The client's relationship to the plan holder, as claim forms ask it.</summary>
internal static class Relationships
{
    public static readonly IReadOnlyDictionary<string, string> Labels = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        ["spouse"] = "Spouse",
        ["child"] = "Child",
        ["domestic-partner"] = "Domestic partner",
        ["other"] = "Other dependent",
    };

    public static string Label(string? value) => value is not null && Labels.TryGetValue(value, out var label) ? label : "Self";
}

internal sealed class SavePlanValidator : AbstractValidator<SavePlanRequest>
{
    public SavePlanValidator(TimeProvider clock)
    {
        const string ChoosePayer = "Choose your insurance company from the list, or choose Other and type its name.";
        const string PlanName = "Enter the plan name as it appears on your card (up to 120 characters).";
        const string MemberId = "Enter the member ID exactly as it appears on your card (letters, digits, spaces and dashes, up to 40).";
        const string HolderName = "Enter the plan holder's full name as it appears on the card.";
        const string GroupNumber = "Enter the group number as it appears on your card (letters, digits, spaces and dashes, up to 40).";
        const string HolderBirth = "Enter the plan holder's date of birth (not yours).";
        RuleFor(r => r.ExpectedVersion).GreaterThanOrEqualTo(0);
        RuleFor(r => r.PayerId).Cascade(CascadeMode.Stop)
            .NotEmpty().WithMessage(ChoosePayer)
            .Must(id => PayerDirectory.Find(id) is not null).WithMessage(ChoosePayer);
        RuleFor(r => r.OtherPayerName).NotEmpty()
            .When(r => r.PayerId == PayerDirectory.OtherId)
            .WithMessage("Type the name of your insurance company as it appears on your card.");
        RuleFor(r => r.OtherPayerName).MaximumLength(120).WithMessage("The insurance company's name has at most 120 characters.");
        RuleFor(r => r.PlanName).Cascade(CascadeMode.Stop)
            .NotEmpty().WithMessage(PlanName)
            .MaximumLength(120).WithMessage(PlanName);
        RuleFor(r => r.MemberId).Cascade(CascadeMode.Stop)
            .NotEmpty().WithMessage(MemberId)
            .MaximumLength(40).WithMessage(MemberId)
            .Matches("^[A-Za-z0-9][A-Za-z0-9 -]*$").WithMessage(MemberId);
        RuleFor(r => r.GroupNumber)
            .MaximumLength(40).WithMessage(GroupNumber)
            .Matches("^[A-Za-z0-9 -]*$").WithMessage(GroupNumber);
        RuleFor(r => r.Subscriber).NotNull();
        When(r => r.Subscriber is { IsClient: false }, () =>
        {
            RuleFor(r => r.Subscriber.Name).Cascade(CascadeMode.Stop)
                .NotEmpty().WithMessage(HolderName)
                .MaximumLength(120).WithMessage("The plan holder's name has at most 120 characters.");
            RuleFor(r => r.Subscriber.DateOfBirth).Cascade(CascadeMode.Stop)
                .NotNull().WithMessage(HolderBirth)
                .Must(d => d > new DateOnly(1900, 1, 1) && d <= DateOnly.FromDateTime(clock.GetUtcNow().UtcDateTime)).WithMessage(HolderBirth);
            RuleFor(r => r.Subscriber.Relationship).Cascade(CascadeMode.Stop)
                .NotEmpty().WithMessage("Choose how you are related to the plan holder.")
                .Must(r => r is not null && Relationships.Labels.ContainsKey(r)).WithMessage("Choose how you are related to the plan holder.");
        });
    }
}

/// <summary>The insurance version after a change: the version the next change is made from.</summary>
internal sealed record SavedInsurance(long Version);

/// <summary>What one save carries: the plan's rank, the plan as entered, and the card photos taken with it (pages only).</summary>
internal sealed record PlanEntry(PlanRank Rank, SavePlanRequest Plan, IReadOnlyList<CardPhoto> Photos);

/// <summary>
/// The client adds or updates their primary or secondary plan (PUT /api/insurance/plans/primary), only with an active
/// portal account; their provider enters or corrects it for them (for a client without an account, or from a card the
/// client brought in), recorded as the provider's change. Either way the other side is told through
/// <see cref="InsuranceChanged"/>.
/// </summary>
public static class SavePlanEndpoints
{
    [WolverinePut("/api/insurance/plans/{rank}")]
    [Authorize(Policy = PortalPolicies.Client)]
    public static async Task<IResult> PutMine(string rank, SavePlanRequest request, IDocumentSession session, IMessageBus bus,
        TimeProvider clock, HttpContext http)
    {
        if (PlanRanks.Parse(rank) is not { } planRank) return PlanRanks.Unknown.ToProblem(http);
        var edit = await InsuranceAccess.ClientEditsAsync(session, http);
        Outcome<SavedInsurance> saved = edit.Succeeded
            ? await SaveAsync(edit.Value, new PlanEntry(planRank, request, []), session, bus, clock)
            : edit.Refusal;
        return saved.ToResult(http);
    }

    [WolverinePut("/api/console/clients/{clientId}/insurance/plans/{rank}")]
    [Authorize(Policy = PortalPolicies.Billing)]
    public static async Task<IResult> PutForClient(Guid clientId, string rank, SavePlanRequest request, IDocumentSession session,
        IMessageBus bus, TimeProvider clock, HttpContext http)
    {
        var edit = await InsuranceAccess.ProviderEditsAsync(session, http, clientId);
        if (!edit.Succeeded) return edit.Refusal.ToProblem(http);
        if (PlanRanks.Parse(rank) is not { } planRank) return PlanRanks.Unknown.ToProblem(http);
        return (await SaveAsync(edit.Value, new PlanEntry(planRank, request, []), session, bus, clock)).ToResult(http);
    }

    /// <summary>
    /// Appends what changed at the version the caller saw: the plan added or updated (nothing when it is the same) and
    /// each card photo; then audits the change and publishes <see cref="InsuranceChanged"/> once. The caller commits.
    /// </summary>
    internal static async Task<Outcome<SavedInsurance>> SaveAsync(InsuranceEdit edit, PlanEntry entry, IDocumentSession session,
        IMessageBus bus, TimeProvider clock)
    {
        if (edit.Stale(entry.Plan.ExpectedVersion) is { } stale) return stale;

        var now = clock.GetUtcNow();
        var version = edit.Version;
        var details = ToDetails(entry.Plan);
        var existing = edit.Insurance.Aggregate?.Plan(entry.Rank);
        var events = new List<object>();
        if (existing is null) events.Add(new PlanAdded(entry.Rank, details, edit.By, now));
        else if (existing.Details != details) events.Add(new PlanUpdated(entry.Rank, details, edit.By, now));
        events.AddRange(entry.Photos.Select(photo => AttachCardPhoto.Store(edit, entry.Rank, photo, now, session)));
        if (events.Count == 0) return new SavedInsurance(version);

        edit.Insurance.AppendMany(events);
        var change = existing is null ? InsuranceChange.Added : InsuranceChange.Updated;
        edit.AuditChange(entry.Rank, change, session, clock);
        await bus.PublishAsync(edit.Changed(entry.Rank, change, now));
        return new SavedInsurance(version + events.Count);
    }

    /// <summary>
    /// The plan form of both insurance pages, checked by the same validator as the JSON body and its photos as the photo
    /// API checks them; a refusal names each field at fault. Then saved like the JSON body.
    /// </summary>
    internal static async Task<Outcome<SavedInsurance>> SaveFormAsync(InsuranceEdit edit, PlanForm form,
        IValidator<SavePlanRequest> validator, IDocumentSession session, IMessageBus bus, TimeProvider clock)
    {
        var request = form.ToRequest();
        var errors = ValidationProblems.ByField((await validator.ValidateAsync(request, edit.Cancellation)).Errors);

        var photos = new List<CardPhoto>();
        foreach (var side in new[] { CardSide.Front, CardSide.Back })
        {
            var field = side == CardSide.Front ? "front" : "back";
            if (edit.Http.Request.Form.Files.GetFile(field) is not { Length: > 0 } file) continue;
            var image = await PhotoUpload.ReadAsync(file, edit.Cancellation);
            if (image.Succeeded) photos.Add(new CardPhoto(side, image.Value));
            else errors[field] = [image.Refusal.Detail!];
        }
        var rank = PlanRanks.Parse(form.Rank);
        if (rank is null) errors["rank"] = ["Plans are primary or secondary."];
        if (errors.Count > 0 || rank is null) return Refusal.Invalid(errors, "Please correct the highlighted fields.");

        return await SaveAsync(edit, new PlanEntry(rank.Value, request, photos), session, bus, clock);
    }

    private static PlanDetails ToDetails(SavePlanRequest r)
    {
        var payer = PayerDirectory.Find(r.PayerId)!;
        var payerName = payer.Id == PayerDirectory.OtherId ? r.OtherPayerName!.Trim() : payer.Name;
        var subscriber = r.Subscriber.IsClient
            ? new Subscriber(true, null, null, null)
            : new Subscriber(false, r.Subscriber.Name!.Trim(), r.Subscriber.DateOfBirth, r.Subscriber.Relationship);
        var groupNumber = string.IsNullOrWhiteSpace(r.GroupNumber) ? null : r.GroupNumber.Trim();
        return new PlanDetails(payer.Id, payerName, r.PlanName.Trim(), r.MemberId.Trim(), groupNumber, subscriber);
    }
}
