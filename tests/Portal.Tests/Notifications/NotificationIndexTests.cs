using Portal.Tests.Infrastructure;

namespace Portal.Tests.Notifications;

/// <summary>
/// The provider's notifications, one written for every task a client completes, carry one index for the queries that
/// read them (by provider, newest first), on duplicated columns rather than expressions over the JSON.
/// </summary>
public sealed class NotificationIndexTests(PortalFixture fixture) : PortalTest(fixture)
{
    [Fact]
    public async Task The_provider_notifications_table_has_one_index_by_provider_and_time()
    {
        var indexes = (await IndexesOfAsync("notifications", "mt_doc_providernotification")).Select(index => index.Definition).ToList();

        indexes.Count.ShouldBe(2);
        indexes[0].ShouldContain("mt_doc_providernotification_idx_by_provider");
        indexes[0].ShouldContain("(provider_id, at DESC)");
        indexes[1].ShouldContain("pkey_mt_doc_providernotification_id");
    }
}
