using FluentValidation.Results;

namespace Portal.BuildingBlocks.Validation;

public static class ValidationProblems
{
    /// <summary>
    /// Groups failures by the JSON name of the failing field ("memberId", "subscriber.dateOfBirth").
    /// </summary>
    public static Dictionary<string, string[]> ByField(IEnumerable<ValidationFailure> failures) =>
        failures
            .GroupBy(f => JsonFieldName(f.PropertyName))
            .ToDictionary(g => g.Key, g => g.Select(f => f.ErrorMessage).Distinct().ToArray());

    public static string JsonFieldName(string propertyPath)
    {
        if (string.IsNullOrEmpty(propertyPath)) return "request";
        return string.Join('.', propertyPath.Split('.').Select(part =>
            part.Length == 0 ? part : char.ToLowerInvariant(part[0]) + part[1..]));
    }
}
