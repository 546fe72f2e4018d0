using System.Diagnostics.CodeAnalysis;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc.ModelBinding;

namespace Portal.BuildingBlocks.Web;

/// <summary>
/// Why a slice refused: the status, a sentence a person can act on, the fields at fault and any extra members
/// (a <c>code</c>, the <c>currentVersion</c> after a stale edit). The JSON endpoint answers it as problem+json,
/// the page shows it beside the fields, so a slice decides once for both.
/// </summary>
public sealed record Refusal(
    int Status,
    string Title,
    string? Detail = null,
    IReadOnlyDictionary<string, string[]>? Errors = null,
    IReadOnlyDictionary<string, object?>? Extensions = null)
{
    public const string InvalidFieldsTitle = "The request has invalid fields.";

    public static Refusal NotFound(string what) =>
        new(StatusCodes.Status404NotFound, $"No such {what}.", $"The {what} was not found.");

    public static Refusal Forbidden(string title, string? detail = null) => new(StatusCodes.Status403Forbidden, title, detail);

    public static Refusal Conflict(string title, string? detail = null) => new(StatusCodes.Status409Conflict, title, detail);

    public static Refusal Invalid(string field, string message) =>
        Invalid(new Dictionary<string, string[]> { [field] = [message] });

    public static Refusal Invalid(IReadOnlyDictionary<string, string[]> errors, string title = InvalidFieldsTitle) =>
        new(StatusCodes.Status400BadRequest, title, Errors: errors);

    public bool IsNotFound => Status == StatusCodes.Status404NotFound;

    public bool IsConflict => Status == StatusCodes.Status409Conflict;

    /// <summary>The same refusal with one more member in its problem details.</summary>
    public Refusal With(string member, object? value) =>
        this with { Extensions = new Dictionary<string, object?>(Extensions ?? new Dictionary<string, object?>()) { [member] = value } };

    /// <summary>problem+json; a refusal with fields at fault is a validation problem that names each field.</summary>
    public IResult ToProblem(HttpContext http) => Errors is { Count: > 0 }
        ? Results.ValidationProblem(Errors, Detail, http.Request.Path, Status, Title, extensions: Extensions)
        : Results.Problem(Detail, http.Request.Path, Status, Title, extensions: Extensions);

    /// <summary>
    /// Puts the refusal into a page's model state: each field's messages under its key (with <paramref name="prefix"/>,
    /// as the page's form binds it), and the sentence itself under the empty key for the page's summary.
    /// </summary>
    public void AddTo(ModelStateDictionary modelState, string? prefix = null)
    {
        foreach (var (field, messages) in Errors ?? new Dictionary<string, string[]>())
        {
            var key = string.IsNullOrEmpty(prefix) ? field : $"{prefix}.{field}";
            foreach (var message in messages) modelState.AddModelError(key, message);
        }
        if (Errors is not { Count: > 0 }) modelState.AddModelError(string.Empty, Detail ?? Title);
    }

    /// <summary>Every message, for a page's error summary.</summary>
    public IEnumerable<string> Messages() => Errors is { Count: > 0 }
        ? Errors.SelectMany(e => e.Value)
        : [Detail ?? Title];
}

/// <summary>
/// What a slice came to: a value with its success status, or a <see cref="Refusal"/>. The one result type that a
/// page and its JSON endpoint share; a slice returns a value or a refusal and the conversions do the rest.
/// </summary>
public sealed class Outcome<T>
{
    private Outcome(T? value, int status, Refusal? refusal)
    {
        Value = value;
        Status = status;
        Refusal = refusal;
    }

    public T? Value { get; }

    public int Status { get; }

    public Refusal? Refusal { get; }

    [MemberNotNullWhen(true, nameof(Value))]
    [MemberNotNullWhen(false, nameof(Refusal))]
    public bool Succeeded => Refusal is null;

    public static Outcome<T> Ok(T value, int status = StatusCodes.Status200OK) => new(value, status, null);

    public static Outcome<T> Refused(Refusal refusal) => new(default, refusal.Status, refusal);

    public static implicit operator Outcome<T>(T value) => Ok(value);

    public static implicit operator Outcome<T>(Refusal refusal) => Refused(refusal);

    /// <summary>The value as JSON with its status (204 has no body), or the refusal as problem+json.</summary>
    public IResult ToResult(HttpContext http) => Succeeded
        ? Status == StatusCodes.Status204NoContent ? Results.NoContent() : Results.Json(Value, statusCode: Status)
        : Refusal.ToProblem(http);

    /// <summary>The value answered as <paramref name="onSuccess"/> says (a view of it, a file), or the refusal as problem+json.</summary>
    public IResult ToResult(HttpContext http, Func<T, IResult> onSuccess) => Succeeded ? onSuccess(Value) : Refusal.ToProblem(http);

    public Outcome<TOther> Map<TOther>(Func<T, TOther> map) =>
        Succeeded ? Outcome<TOther>.Ok(map(Value), Status) : Outcome<TOther>.Refused(Refusal);
}
