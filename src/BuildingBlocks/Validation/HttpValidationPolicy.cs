using System.Collections;
using System.Collections.Concurrent;
using System.Linq.Expressions;
using System.Reflection;
using FluentValidation;
using FluentValidation.Results;
using JasperFx;
using JasperFx.CodeGeneration;
using JasperFx.CodeGeneration.Frames;
using Microsoft.AspNetCore.Http;
using Wolverine.Http;
using Wolverine.Http.CodeGen;

namespace Portal.BuildingBlocks.Validation;

/// <summary>
/// Before every HTTP endpoint that reads a request body or query object: refuses a missing body and text holding
/// NUL characters (PostgreSQL cannot store them), then runs the request type's FluentValidation validators. A failure
/// ends the request with 400 problem+json naming each field, so nothing is stored.
/// </summary>
public sealed class HttpValidationPolicy : IHttpPolicy
{
    public void Apply(IReadOnlyList<HttpChain> chains, GenerationRules rules, IServiceContainer container)
    {
        foreach (var chain in chains)
        {
            var requestType = chain.HasRequestType ? chain.RequestType : chain.ComplexQueryStringType;
            if (requestType is null || requestType.IsValueType) continue;

            var hasValidators = container.RegistrationsFor(typeof(IValidator<>).MakeGenericType(requestType)).Any();
            var method = hasValidators ? nameof(HttpValidation.ValidateAsync) : nameof(HttpValidation.CheckShape);
            chain.Metadata.ProducesValidationProblem();
            var check = new MethodCall(typeof(HttpValidation), typeof(HttpValidation).GetMethod(method)!.MakeGenericMethod(requestType));
            chain.Middleware.InsertRange(0, [check, new MaybeEndWithResultFrame(check.ReturnVariable!)]);
        }
    }
}

public static class HttpValidation
{
    public static async Task<IResult> ValidateAsync<T>(IEnumerable<IValidator<T>> validators, T? request, HttpContext context) where T : class
    {
        var failures = ShapeFailures(request);
        if (failures.Count == 0)
        {
            foreach (var validator in validators)
            {
                failures.AddRange((await validator.ValidateAsync(request!, context.RequestAborted)).Errors);
            }
        }
        return Outcome(failures, context);
    }

    public static IResult CheckShape<T>(T? request, HttpContext context) where T : class => Outcome(ShapeFailures(request), context);

    private static IResult Outcome(List<ValidationFailure> failures, HttpContext context) =>
        failures.Count == 0
            ? WolverineContinue.Result()
            : Results.ValidationProblem(ValidationProblems.ByField(failures),
                title: "The request has invalid fields.",
                instance: context.Request.Path);

    private static List<ValidationFailure> ShapeFailures<T>(T? request) where T : class
    {
        var failures = new List<ValidationFailure>();
        if (request is null)
        {
            failures.Add(new ValidationFailure(string.Empty, "A request body is required."));
            return failures;
        }
        FindNulCharacters(request, string.Empty, failures, depth: 0);
        return failures;
    }

    private static void FindNulCharacters(object value, string path, List<ValidationFailure> failures, int depth)
    {
        if (depth > 8) return;
        switch (value)
        {
            case string text:
                if (text.Contains('\0')) failures.Add(new ValidationFailure(path, "Text may not contain NUL characters."));
                return;
            case IDictionary dictionary:
                foreach (DictionaryEntry entry in dictionary)
                {
                    if (entry.Key is string key && key.Contains('\0'))
                        failures.Add(new ValidationFailure(path, "Text may not contain NUL characters."));
                    Visit(entry.Value, path, entry.Key.ToString(), failures, depth);
                }
                return;
            case IEnumerable items:
                var index = 0;
                foreach (var item in items)
                {
                    if (item is not null) FindNulCharacters(item, $"{path}[{index}]", failures, depth + 1);
                    index++;
                }
                return;
        }

        var type = value.GetType();
        if (type.IsPrimitive || type.IsEnum || type.Namespace?.StartsWith("System", StringComparison.Ordinal) == true) return;
        foreach (var property in ReadableProperties(type)) Visit(property.Read(value), path, property.Name, failures, depth);
    }

    // A child's path is only spelled out when there is something under it to look at: most are plain values.
    private static void Visit(object? child, string path, string? name, List<ValidationFailure> failures, int depth)
    {
        switch (child)
        {
            case null:
                return;
            case string text when !text.Contains('\0'):
                return;
            default:
                if (child.GetType() is { IsPrimitive: true } or { IsEnum: true }) return;
                FindNulCharacters(child, $"{path}.{name}".TrimStart('.'), failures, depth + 1);
                return;
        }
    }

    // Each request type's public properties, read through compiled getters: this runs on every request with a body,
    // and reflection's GetValue costs more and keeps the runtime emitting invocation stubs under load.
    private static readonly ConcurrentDictionary<Type, ReadableProperty[]> PropertiesByType = new();

    private sealed record ReadableProperty(string Name, Func<object, object?> Read);

    private static ReadableProperty[] ReadableProperties(Type type) => PropertiesByType.GetOrAdd(type, static requestType =>
    [
        .. requestType.GetProperties(BindingFlags.Public | BindingFlags.Instance)
            .Where(property => property.GetMethod is not null && property.GetIndexParameters().Length == 0)
            .Select(property => new ReadableProperty(property.Name, Getter(property))),
    ]);

    private static Func<object, object?> Getter(PropertyInfo property)
    {
        var instance = Expression.Parameter(typeof(object), "instance");
        var read = Expression.Property(Expression.Convert(instance, property.DeclaringType!), property);
        return Expression.Lambda<Func<object, object?>>(Expression.Convert(read, typeof(object)), instance).Compile();
    }
}
