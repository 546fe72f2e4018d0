using FluentValidation;
using Portal.Insurance.Payers;

namespace Portal.Insurance.Plans;

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
        const string HolderBirth = "Enter the plan holder's date of birth (not yours).";
        RuleFor(r => r.ExpectedVersion).GreaterThanOrEqualTo(0);
        RuleFor(r => r.PayerId).Cascade(CascadeMode.Stop)
            .NotEmpty().WithMessage(ChoosePayer)
            .Must(id => PayerDirectory.Find(id) is not null).WithMessage(ChoosePayer);
        RuleFor(r => r.OtherPayerName).NotEmpty().MaximumLength(120)
            .When(r => r.PayerId == PayerDirectory.OtherId)
            .WithMessage("Type the name of your insurance company as it appears on your card.");
        RuleFor(r => r.PlanName).Cascade(CascadeMode.Stop)
            .NotEmpty().WithMessage(PlanName)
            .MaximumLength(120).WithMessage(PlanName);
        RuleFor(r => r.MemberId).Cascade(CascadeMode.Stop)
            .NotEmpty().WithMessage(MemberId)
            .MaximumLength(40).WithMessage(MemberId)
            .Matches("^[A-Za-z0-9][A-Za-z0-9 -]*$").WithMessage(MemberId);
        RuleFor(r => r.GroupNumber).MaximumLength(40).Matches("^[A-Za-z0-9 -]*$")
            .WithMessage("Enter the group number as it appears on your card (letters, digits, spaces and dashes).");
        RuleFor(r => r.Subscriber).NotNull();
        When(r => r.Subscriber is { IsClient: false }, () =>
        {
            RuleFor(r => r.Subscriber.Name).Cascade(CascadeMode.Stop)
                .NotEmpty().WithMessage(HolderName)
                .MaximumLength(120).WithMessage(HolderName);
            RuleFor(r => r.Subscriber.DateOfBirth).Cascade(CascadeMode.Stop)
                .NotNull().WithMessage(HolderBirth)
                .Must(d => d > new DateOnly(1900, 1, 1) && d <= DateOnly.FromDateTime(clock.GetUtcNow().UtcDateTime)).WithMessage(HolderBirth);
            RuleFor(r => r.Subscriber.Relationship).Cascade(CascadeMode.Stop)
                .NotEmpty().WithMessage("Choose how you are related to the plan holder.")
                .Must(r => r is not null && Relationships.Labels.ContainsKey(r)).WithMessage("Choose how you are related to the plan holder.");
        });
    }
}
