using Marten;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.Extensions.DependencyInjection;
using Portal.Contracts;
using Portal.Notifications.Delivery;

namespace Portal.Tests.Notifications;

/// <summary>Helpers for driving the Notifications module with contract messages, as other modules do.</summary>
public abstract class NotificationTest(PortalFixture fixture) : PortalTest(fixture)
{
    protected static readonly Guid PracticeId = Guid.NewGuid();
    protected const string PracticeName = "Lakeside Counseling";

    /// <summary>Delivery tests make sending fail on purpose: a handler's exception is their subject, not a failure.</summary>
    protected override bool HandlerErrorsFailPublish => false;

    protected async Task<ProviderRosterChanged> GivenProvider(string name = "Dr. Ana Silva", string email = "ana@lakeside.example")
    {
        var provider = new ProviderRosterChanged(Guid.NewGuid(), PracticeId, PracticeName, name, email, true, 1);
        await Publish(provider);
        return provider;
    }

    protected async Task<ClientRosterChanged> GivenClient(Guid providerId, string first = "Jane", string last = "Doe",
        string email = "jane.doe@example.com")
    {
        var client = new ClientRosterChanged(Guid.NewGuid(), providerId, PracticeId, PracticeName, first, last, email,
            new DateOnly(1990, 4, 2), true, true, 1);
        await Publish(client);
        return client;
    }

    protected SecretLink Protect(string url) =>
        new(Host.Services.GetRequiredService<IDataProtectionProvider>().CreateProtector("Portal.SecretLink").Protect(url));

    protected async Task<IReadOnlyList<DeliveryRecord>> DeliveryLog()
    {
        await using var session = OpenSession();
        return await session.Query<DeliveryRecord>().ToListAsync();
    }
}
