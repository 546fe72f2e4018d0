using Microsoft.AspNetCore.Http;

namespace Portal.Forms.Shared;

/// <summary>
/// What a slice decided: a value, or a status with the fields at fault. JSON endpoints turn it into problem details,
/// pages into messages beside the fields, so both share one piece of logic.
/// </summary>
internal sealed record Outcome<T>(T? Value, int Status, IReadOnlyDictionary<string, string[]>? Errors = null, string? Problem = null)
{
    public bool Succeeded => Status is >= 200 and < 300;

    public static Outcome<T> Ok(T value, int status = StatusCodes.Status200OK) => new(value, status);

    public static Outcome<T> NotFound(string what) => new(default, StatusCodes.Status404NotFound, Problem: $"No such {what}.");

    public static Outcome<T> Conflict(string detail) => new(default, StatusCodes.Status409Conflict, Problem: detail);

    public static Outcome<T> Invalid(string field, string message) =>
        new(default, StatusCodes.Status400BadRequest, new Dictionary<string, string[]> { [field] = [message] });

    public static Outcome<T> Invalid(IReadOnlyDictionary<string, string[]> errors) => new(default, StatusCodes.Status400BadRequest, errors);

    /// <summary>The failure as problem details (400 names each field).</summary>
    public IResult ToProblem(HttpContext http) => Errors is { Count: > 0 }
        ? Results.ValidationProblem(Errors, title: "The request has invalid fields.", instance: http.Request.Path)
        : Results.Problem(statusCode: Status, title: Problem ?? "The request cannot be carried out.", instance: http.Request.Path);

    /// <summary>All messages, for a page's error summary.</summary>
    public IEnumerable<string> Messages() =>
        (Errors?.SelectMany(e => e.Value) ?? []).Concat(Problem is null ? [] : [Problem]);
}
