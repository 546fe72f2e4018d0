using System.Reflection;
using System.Text.Json;
using Marten;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Portal.BuildingBlocks.Concurrency;
using Wolverine;
using Wolverine.ErrorHandling;
using Wolverine.Runtime;

namespace Portal.BuildingBlocks.Messaging;

/// <summary>
/// A handler needs a module's copy of another module's record (a client's or provider's roster card) that has not
/// arrived yet: the messages to one module come in any order. Thrown by the handler; see <see cref="AwaitingCopy"/>.
/// </summary>
public abstract class CopyNotYetArrivedException(Type copy, Guid id, string what)
    : Exception($"No roster facts yet for {what} {id}.")
{
    /// <summary>The document type of the copy (e.g. the module's client card).</summary>
    public Type Copy { get; } = copy;

    public Guid Id { get; } = id;
}

/// <summary>
/// A message held until the module's copy of <see cref="AwaitedId"/> arrives, then handed back to its handler's queue
/// (<see cref="AwaitingCopy.ReleaseAsync{TAwaiting}"/>). Each module derives a sealed type so it lives in its schema.
/// </summary>
public abstract class MessageAwaitingCopy
{
    /// <summary>The envelope's id: holding the same delivery twice keeps one.</summary>
    public Guid Id { get; set; }

    public Guid AwaitedId { get; set; }
    public string Destination { get; set; } = string.Empty;
    public string MessageType { get; set; } = string.Empty;
    public string Body { get; set; } = string.Empty;
    public DateTimeOffset HeldAt { get; set; }
}

/// <summary>
/// What a module does with a message whose copy has not arrived: retry it a few times at short intervals (the copy is
/// usually a moment behind), and when that runs out, neither drop nor dead-letter it but hold it
/// (<see cref="MessageAwaitingCopy"/>) until the copy arrives, when the copy's handler releases it. The hold and the
/// release take the copy's edit lock, so whichever commits second sees what the first did and nothing is left behind.
/// </summary>
public static class AwaitingCopy
{
    /// <summary>The short retries before a message is held; in all about seven seconds.</summary>
    public static readonly TimeSpan[] Retries =
        [TimeSpan.FromMilliseconds(250), TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(6)];

    public static void RetryThenHold<TException, TAwaiting>(this WolverineOptions options)
        where TException : CopyNotYetArrivedException
        where TAwaiting : MessageAwaitingCopy, new() =>
        options.Policies.OnException<TException>()
            .RetryWithCooldown(Retries)
            .Then.CustomAction(
                (runtime, lifecycle, exception) =>
                    HoldAsync<TAwaiting>(runtime, lifecycle, (CopyNotYetArrivedException)exception),
                "hold until the copy arrives");

    private static async ValueTask HoldAsync<TAwaiting>(IWolverineRuntime runtime, IEnvelopeLifecycle lifecycle,
        CopyNotYetArrivedException missing) where TAwaiting : MessageAwaitingCopy, new()
    {
        var envelope = lifecycle.Envelope;
        if (envelope?.Message is not { } message || envelope.Destination is null)
        {
            await lifecycle.MoveToDeadLetterQueueAsync(missing);
            return;
        }

        var store = runtime.Services.GetRequiredService<IDocumentStore>();
        await using var session = store.LightweightSession();
        if (await ArrivedUnderLockAsync(session, missing))
        {
            // It arrived between the last try and now: its handler has released nothing for this message, so try again.
            await lifecycle.RetryExecutionNowAsync();
            return;
        }

        session.Store(new TAwaiting
        {
            Id = envelope.Id,
            AwaitedId = missing.Id,
            Destination = envelope.Destination.ToString(),
            MessageType = message.GetType().AssemblyQualifiedName!,
            Body = JsonSerializer.Serialize(message, message.GetType()),
            HeldAt = DateTimeOffset.UtcNow,
        });
        await session.SaveChangesAsync();
        await lifecycle.CompleteAsync();
        // Done with, as far as this delivery goes: its handling resumes as a new delivery when the copy arrives.
        runtime.MessageTracking.MessageSucceeded(envelope);
        runtime.Services.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(AwaitingCopy))
            .LogWarning("{MessageType} {EnvelopeId} held until the copy of {Awaited} arrives",
                message.GetType().Name, envelope.Id, missing.Id);
    }

    /// <summary>The copy's type is known only at run time: the generic lock and load are called for it.</summary>
    private static Task<bool> ArrivedUnderLockAsync(IDocumentSession session, CopyNotYetArrivedException missing) =>
        (Task<bool>)typeof(AwaitingCopy)
            .GetMethod(nameof(ArrivedUnderLockOfAsync), BindingFlags.NonPublic | BindingFlags.Static)!
            .MakeGenericMethod(missing.Copy).Invoke(null, [session, missing.Id])!;

    private static async Task<bool> ArrivedUnderLockOfAsync<TCopy>(IDocumentSession session, Guid id) where TCopy : class =>
        await EditLock.LoadLockedAsync<TCopy>(session, id, CancellationToken.None) is not null;

    /// <summary>
    /// Called by the copy's handler, under the copy's edit lock (<see cref="EditLock.LoadLockedAsync{TRecord}"/>), once the
    /// copy is stored: hands every message held for it back to its handler's queue, in this transaction's outbox.
    /// </summary>
    public static async Task ReleaseAsync<TAwaiting>(IDocumentSession session, IMessageBus bus, Guid awaitedId,
        CancellationToken cancellation) where TAwaiting : MessageAwaitingCopy
    {
        var held = await session.Query<TAwaiting>().Where(m => m.AwaitedId == awaitedId).ToListAsync(cancellation);
        foreach (var message in held)
        {
            var type = Type.GetType(message.MessageType, throwOnError: true)!;
            await bus.EndpointFor(new Uri(message.Destination)).SendAsync(JsonSerializer.Deserialize(message.Body, type)!);
            session.Delete(message);
        }
    }
}
