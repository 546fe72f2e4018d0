using FluentValidation;
using JasperFx;
using JasperFx.CodeGeneration;
using JasperFx.CodeGeneration.Frames;
using Wolverine.Configuration;
using Wolverine.Runtime.Handlers;

namespace Portal.BuildingBlocks.Validation;

/// <summary>
/// For every message handler whose message type has a validator, validates the message before the handler runs.
/// An invalid message throws <see cref="ValidationException"/>, which the host's error policy sends straight to
/// the dead letter queue: retrying cannot make it valid.
/// </summary>
public sealed class MessageValidationPolicy : IHandlerPolicy
{
    public void Apply(IReadOnlyList<HandlerChain> chains, GenerationRules rules, IServiceContainer container)
    {
        foreach (var chain in chains)
        {
            var validatorType = typeof(IValidator<>).MakeGenericType(chain.MessageType);
            if (!container.RegistrationsFor(validatorType).Any()) continue;

            chain.Middleware.Add(new MethodCall(typeof(MessageValidation),
                typeof(MessageValidation).GetMethod(nameof(MessageValidation.ValidateAsync))!.MakeGenericMethod(chain.MessageType)));
        }
    }
}

public static class MessageValidation
{
    public static async Task ValidateAsync<T>(IEnumerable<IValidator<T>> validators, T message)
    {
        var failures = new List<FluentValidation.Results.ValidationFailure>();
        foreach (var validator in validators)
        {
            failures.AddRange((await validator.ValidateAsync(message)).Errors);
        }

        if (failures.Count > 0) throw new ValidationException(failures);
    }
}
