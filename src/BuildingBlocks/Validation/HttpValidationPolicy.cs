using FluentValidation;
using JasperFx;
using JasperFx.CodeGeneration;
using JasperFx.CodeGeneration.Frames;
using Microsoft.AspNetCore.Http;
using Wolverine.Http;
using Wolverine.Http.CodeGen;

namespace Portal.BuildingBlocks.Validation;

/// <summary>
/// For every HTTP endpoint whose request type has a FluentValidation validator, validates the request before the
/// endpoint runs; a failure ends the request with 400 problem+json naming each field, so nothing is stored.
/// </summary>
public sealed class HttpValidationPolicy : IHttpPolicy
{
    public void Apply(IReadOnlyList<HttpChain> chains, GenerationRules rules, IServiceContainer container)
    {
        foreach (var chain in chains)
        {
            var requestType = chain.HasRequestType ? chain.RequestType : chain.ComplexQueryStringType;
            if (requestType is null) continue;

            var validatorType = typeof(IValidator<>).MakeGenericType(requestType);
            if (!container.RegistrationsFor(validatorType).Any()) continue;

            chain.Metadata.ProducesValidationProblem();
            var validate = new MethodCall(typeof(HttpValidation),
                typeof(HttpValidation).GetMethod(nameof(HttpValidation.ValidateAsync))!.MakeGenericMethod(requestType));
            chain.Middleware.InsertRange(0, [validate, new MaybeEndWithResultFrame(validate.ReturnVariable!)]);
        }
    }
}

public static class HttpValidation
{
    public static async Task<IResult> ValidateAsync<T>(IEnumerable<IValidator<T>> validators, T request, HttpContext context)
    {
        var failures = new List<FluentValidation.Results.ValidationFailure>();
        foreach (var validator in validators)
        {
            var result = await validator.ValidateAsync(request, context.RequestAborted);
            failures.AddRange(result.Errors);
        }

        return failures.Count == 0
            ? WolverineContinue.Result()
            : Results.ValidationProblem(ValidationProblems.ByField(failures),
                title: "The request has invalid fields.",
                instance: context.Request.Path);
    }
}
