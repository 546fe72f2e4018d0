using System.Net.Http.Headers;
using Alba;
using Portal.Contracts;
using Wolverine.Tracking;
using Portal.Tests.Infrastructure;

namespace Portal.Tests.Insurance;

/// <summary>What the tests read back from the insurance API.</summary>
public sealed record InsuranceBody(
    Guid ClientId, long Version, LastUpdatedBody? LastUpdated, PlanBody? Primary, PlanBody? Secondary, List<HistoryBody> History);

public sealed record LastUpdatedBody(DateTimeOffset At, ActorBody By);

public sealed record ActorBody(string Kind, string Name);

public sealed record PlanBody(string Rank, string PayerId, string PayerName, string PlanName, string MemberId, string? GroupNumber,
    SubscriberBody Subscriber, string? FrontPhotoUrl, string? BackPhotoUrl, string Status, string? ReviewMessage);

public sealed record SubscriberBody(bool IsClient, string? Name, DateOnly? DateOfBirth, string? Relationship);

public sealed record HistoryBody(DateTimeOffset At, ActorBody By, string What);

public sealed record SavedBody(long Version);

internal static class InsuranceApi
{
    /// <summary>
    /// Every InsuranceChanged published during a tracked scenario, once each (a message handled by several modules is
    /// sent to each module's queue; with no handler yet it is recorded as having no route).
    /// </summary>
    public static List<InsuranceChanged> Published(this ITrackedSession tracked) => tracked.AllRecordsInOrder()
        .Where(r => r.MessageEventType is MessageEventType.Sent or MessageEventType.NoRoutes)
        .Select(r => r.Message)
        .OfType<InsuranceChanged>()
        .DistinctBy(m => m.EventId)
        .ToList();

    public static object Plan(long expectedVersion, string memberId = "XJH123456789", string payerId = "aetna",
        string planName = "Open Access Choice POS II",
        object? subscriber = null, string? otherPayerName = null) => new
    {
        expectedVersion,
        payerId,
        otherPayerName,
        planName,
        memberId,
        groupNumber = "0098765",
        subscriber = subscriber ?? new { isClient = true },
    };

    public static MultipartFormDataContent Photo(byte[] content, string fileName, long expectedVersion, string contentType = "image/png")
    {
        var form = new MultipartFormDataContent();
        var file = new ByteArrayContent(content);
        file.Headers.ContentType = new MediaTypeHeaderValue(contentType);
        form.Add(file, "file", fileName);
        form.Add(new StringContent(expectedVersion.ToString(System.Globalization.CultureInfo.InvariantCulture)), "expectedVersion");
        return form;
    }

    public static async Task<InsuranceBody> MineAsync(this IAlbaHost host, ClientActor client)
    {
        var result = await host.Scenario(s =>
        {
            s.As(client);
            s.Get.Url("/api/insurance");
            s.StatusCodeShouldBeOk();
        });
        return (await result.ReadAsJsonAsync<InsuranceBody>())!;
    }

    public static async Task<InsuranceBody> OfClientAsync(this IAlbaHost host, ProviderActor provider, Guid clientId)
    {
        var result = await host.Scenario(s =>
        {
            s.As(provider);
            s.Get.Url($"/api/console/clients/{clientId}/insurance");
            s.StatusCodeShouldBeOk();
        });
        return (await result.ReadAsJsonAsync<InsuranceBody>())!;
    }

    public static async Task<byte[]> BytesAsync(this IScenarioResult result)
    {
        var body = result.Context.Response.Body;
        if (body.CanSeek) body.Position = 0;
        using var copy = new MemoryStream();
        await body.CopyToAsync(copy);
        return copy.ToArray();
    }
}
