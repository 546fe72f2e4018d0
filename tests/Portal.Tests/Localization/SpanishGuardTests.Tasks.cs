using Alba;
using Portal.Tests.Infrastructure;

namespace Portal.Tests.Localization;

/// <summary>The client's task list and the home's tasks section, with tasks open, due and done, in Spanish.</summary>
public sealed partial class SpanishGuardTests
{
    [Theory]
    [InlineData("/portal/tasks")]
    [InlineData("/portal")]
    public async Task The_task_pages_in_Spanish_with_tasks_open_due_and_done_have_no_text_left_in_English(string url)
    {
        var provider = await Host.NewProviderAsync();
        var client = await Host.NewClientWithAccountAsync(provider, "Lucía", "Ramírez");
        // Untitled requests: the engine titles them ("Add your insurance", "Complete the PHQ-9"), which the client reads in Spanish.
        await RequestAsync(provider, client, new { kind = "AddInsurance", dueInDays = 7 });
        await RequestAsync(provider, client, new { kind = "EnrollInAutopay" });
        await RequestAsync(provider, client, new { kind = "CompleteAssessment", subjectId = "gad7" });
        await RequestAsync(provider, client, new { kind = "CompleteAssessment", subjectId = "phq9" });
        await TrackedScenario(s =>
        {
            s.As(client);
            s.Post.Json(new { answers = new[] { 1, 1, 1, 1, 1, 1, 1, 1, 0 } }).ToUrl("/api/portal/assessments/phq9");
            s.StatusCodeShouldBe(201);
        });

        var english = await PageAsync(client, url);
        english.ShouldContain("Complete the GAD-7");
        await ChooseLanguageAsync(client, "es");
        var spanish = await PageAsync(client, url);

        spanish.ShouldContain("Complete el GAD-7");
        spanish.ShouldContain("Agregue su seguro");
        string[] places = [.. Portal.BuildingBlocks.Time.PortalTime.Zones.SelectMany(z => new[] { z.Label, z.Id.Replace('_', ' ') })];
        LeftInEnglish(english, spanish, [provider.PracticeName, client.FirstName, client.LastName, client.Email, provider.Name,
                .. places])
            .ShouldBeEmpty($"{url} shows English to a Spanish reader");
    }

    private Task RequestAsync(ProviderActor provider, ClientActor client, object request) => TrackedScenario(s =>
    {
        s.As(provider);
        s.Post.Json(request).ToUrl($"/api/clients/{client.ClientId}/requests");
        s.StatusCodeShouldBe(201);
    });
}
