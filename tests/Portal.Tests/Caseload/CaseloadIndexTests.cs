using Portal.Tests.Infrastructure;

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
}
