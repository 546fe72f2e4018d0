using Alba;
using Marten;
using Microsoft.Extensions.Time.Testing;
using Microsoft.Extensions.DependencyInjection;
using Wolverine.Tracking;

namespace Portal.Tests.Infrastructure;

/// <summary>
/// One host for the whole test run, on the real PostgreSQL. Tests in the "portal" collection share it and run one
/// at a time; each starts from empty data (see <see cref="PortalTest"/>).
/// </summary>
public sealed class PortalFixture : IAsyncLifetime, ITestPortal
{
    public IAlbaHost Host { get; private set; } = null!;

    /// <summary>
    /// The SMTP server the host sends every email to (Smtp__Host/Smtp__Port point at it). Read invitation and reset
    /// links from <see cref="MailCapture.Messages"/>; it is emptied before each test.
    /// </summary>
    public MailCapture Mail { get; } = new();

    /// <summary>The host's clock. Starts at the real time; tests move it forward (never back).</summary>
    public FakeTimeProvider Clock { get; } = new(DateTimeOffset.UtcNow);

    /// <summary>Everything the host logged, for tests that check what logs must never contain.</summary>
    public CapturedLogs Logs { get; } = new();

    public async Task InitializeAsync()
    {
        // Through the environment, not settings: a second host a test starts (a restart) finds the same database and mail.
        Environment.SetEnvironmentVariable("ConnectionStrings__Portal", TestDatabase.ConnectionString);
        Mail.Start();
        foreach (var (key, value) in TestHosts.SendingMailTo(Mail)) Environment.SetEnvironmentVariable(key.Replace(":", "__"), value);
        // Webhook retries within a test's patience (production waits 30 s before the first retry).
        Environment.SetEnvironmentVariable("Portal__Webhooks__FirstRetryAfter", "00:00:00.300");
        Host = await TestHosts.StartAsync(Clock, Logs);
    }

    public async Task DisposeAsync()
    {
        await Host.DisposeAsync();
        await Mail.DisposeAsync();
    }
}

[CollectionDefinition(Name)]
public sealed class PortalCollection : ICollectionFixture<PortalFixture>
{
    public const string Name = "portal";
}

/// <summary>Base class for tests through the real host: resets every module's data before each test.</summary>
[Collection(PortalCollection.Name)]
public abstract class PortalTest(ITestPortal fixture) : IAsyncLifetime
{
    protected IAlbaHost Host => fixture.Host;

    protected FakeTimeProvider Clock => fixture.Clock;

    /// <summary>Everything the host logged, for tests that check what logs must never contain.</summary>
    protected CapturedLogs Logs => fixture.Logs;

    /// <summary>Emails the host sent during this test (captured by a real SMTP server).</summary>
    protected MailCapture Mail => fixture.Mail;

    public virtual async Task InitializeAsync()
    {
        await Host.ResetAllMartenDataAsync();
        Mail.Start();
        Mail.Clear();
    }

    public virtual Task DisposeAsync() => Task.CompletedTask;

    protected IDocumentSession OpenSession() => Host.Services.GetRequiredService<IDocumentStore>().LightweightSession();

    /// <summary>
    /// A table's indexes as PostgreSQL has them (name and definition, by name). The table is created first, as Marten
    /// would on its first write, so the answer does not depend on which tests wrote to it before.
    /// </summary>
    protected async Task<IReadOnlyList<(string Name, string Definition)>> IndexesOfAsync(string schema, string table)
    {
        await Host.Services.GetRequiredService<IDocumentStore>().Storage.ApplyAllConfiguredChangesToDatabaseAsync();
        await using var session = OpenSession();
        // AdvancedSql reads each result column of several as a row value.
        return await session.AdvancedSql.QueryAsync<string, string>(
            "select row(indexname::text), row(indexdef) from pg_indexes where schemaname = ? and tablename = ? order by indexname",
            CancellationToken.None, schema, table);
    }

    /// <summary>Runs an HTTP scenario and waits until every message it caused has been handled.</summary>
    protected Task<(ITrackedSession Tracked, IScenarioResult Result)> TrackedScenario(Action<Scenario> configure, TimeSpan? timeout = null) =>
        Host.TrackedScenarioAsync(configure, timeout);

    /// <summary>Whether a handler's exception makes <see cref="Publish"/> fail the test.</summary>
    protected virtual bool HandlerErrorsFailPublish => true;

    /// <summary>Publishes messages as another module would and waits until everything they caused has been handled.</summary>
    protected Task<ITrackedSession> Publish(params object[] messages) =>
        Host.PublishAndWaitAsync(messages, failOnHandlerErrors: HandlerErrorsFailPublish);

    /// <summary>The messages of a type a tracked session published (see <see cref="Messaging.Published{T}"/>).</summary>
    protected static IReadOnlyList<T> Published<T>(ITrackedSession tracked) => tracked.Published<T>();
}
