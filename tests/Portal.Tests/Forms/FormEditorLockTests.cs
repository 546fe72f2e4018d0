using System.Net;
using System.Text.Json;
using Portal.Tests.Infrastructure;

namespace Portal.Tests.Forms;

public sealed partial class FormBuilderTests
{
    [Fact]
    public async Task A_refused_save_in_the_JSON_editor_leaves_the_form_free_for_the_next_save()
    {
        var provider = await Host.NewProviderAsync();
        var (formId, _) = await CreateAsync(provider, HistoryForm());
        var editor = $"/console/forms/{formId}";
        var opened = await Open(provider, editor);

        var elsewhere = HistoryForm();
        elsewhere.Sections[0].Title = "Changed elsewhere";
        await Send(provider, HttpMethod.Put, $"/api/forms/{formId}", new { title = "Health history", schema = elsewhere, revision = 1 }, 200);

        var mine = HistoryForm();
        mine.Sections[0].Title = "Mine";
        var json = JsonSerializer.Serialize(mine, new JsonSerializerOptions(JsonSerializerDefaults.Web));
        var stale = await Post(provider, editor, "Save", new() { ["Title"] = "Health history", ["Schema"] = json, ["Revision"] = "1" }, opened);
        WebUtility.HtmlDecode(await stale.ReadAsTextAsync()).ShouldContain("revision 2");
        (await Load(formId)).Schema.Sections[0].Title.ShouldBe("Changed elsewhere");

        var current = await Post(provider, editor, "Save", new() { ["Title"] = "Health history", ["Schema"] = json, ["Revision"] = "2" }, opened)
            .WaitAsync(TimeSpan.FromSeconds(20));
        current.Context.Response.StatusCode.ShouldBe(200);
        (await Load(formId)).Schema.Sections[0].Title.ShouldBe("Mine");
    }
}
