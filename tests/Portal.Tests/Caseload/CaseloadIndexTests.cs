using Marten;
using Microsoft.Extensions.DependencyInjection;
using Portal.Tests.Infrastructure;
using Weasel.Core;

namespace Portal.Tests.Caseload;

/// <summary>
/// The caseload table, written for every task a client completes (its Last Updated), carries only the indexes its
/// queries use: each index is one more write per completion. Marten gives a duplicated column an index of its own
/// unless told otherwise, so this is what keeps them from coming back.
/// </summary>
public sealed class CaseloadIndexTests(PortalFixture fixture) : PortalTest(fixture)
{
    [Fact]
    public async Task The_caseload_table_has_the_list_indexes_and_no_others()
    {
        var indexes = (await IndexesOfAsync("caseload", "mt_doc_caseloadclient")).Select(index => index.Name);

        indexes.ShouldBe(
        [
            "mt_doc_caseloadclient_idx_by_name",
            "mt_doc_caseloadclient_idx_by_update",
            "mt_doc_caseloadclient_idx_care_team",
            "mt_doc_caseloadclient_idx_email_key_prefix",
            "mt_doc_caseloadclient_idx_full_name_prefix",
            "mt_doc_caseloadclient_idx_last_activity_at",
            "mt_doc_caseloadclient_idx_practice_by_name",
            "mt_doc_caseloadclient_idx_practice_by_update",
            "mt_doc_caseloadclient_idx_practice_email_key_prefix",
            "mt_doc_caseloadclient_idx_practice_full_name_prefix",
            "mt_doc_caseloadclient_idx_practice_sort_name_prefix",
            "mt_doc_caseloadclient_idx_sort_name",
            "mt_doc_caseloadclient_idx_sort_name_prefix",
            "pkey_mt_doc_caseloadclient_id",
        ]);
    }

    [Fact]
    public async Task The_care_team_index_is_a_small_gin_index_the_schema_check_finds_in_place()
    {
        var careTeam = (await IndexesOfAsync("caseload", "mt_doc_caseloadclient")).Single(i => i.Name == "mt_doc_caseloadclient_idx_care_team");
        careTeam.Definition.ShouldContain("USING gin");
        careTeam.Definition.ShouldContain("jsonb_path_ops");

        // An expression index Marten did not recognise as its own would be dropped and built again at every start.
        var store = (DocumentStore)Host.Services.GetRequiredService<IDocumentStore>();
        var feature = store.Options.Storage.FindFeature(typeof(Portal.Caseload.Roster.CaseloadClient));
        var migration = await store.Storage.Database.CreateMigrationAsync(feature, CancellationToken.None);
        migration.Difference.ShouldBe(SchemaPatchDifference.None);
    }
}
