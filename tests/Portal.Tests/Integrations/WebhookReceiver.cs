using System.Collections.Concurrent;
using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using StandardWebhooks;

namespace Portal.Tests.Integrations;

/// <summary>
/// A practice's system receiving webhooks, on a real port: it verifies each request's Standard Webhooks signature
/// with the endpoint's secret, answers the statuses it was told to (then 200), and keeps what it received.
/// </summary>
internal sealed class WebhookReceiver : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly ConcurrentQueue<int> _answers = new();

    public sealed record Received(string WebhookId, string Body, bool SignatureValid, int Answered);

    public ConcurrentQueue<Received> Requests { get; } = new();

    public string? Secret { get; set; }

    /// <summary>What to answer while the queue lasts; 200 afterwards unless <see cref="AlwaysFail"/>.</summary>
    public void AnswerNext(params int[] statuses)
    {
        foreach (var status in statuses) _answers.Enqueue(status);
    }

    public bool AlwaysFail { get; set; }

    public string Url { get; private set; } = string.Empty;

    private WebhookReceiver(WebApplication app) => _app = app;

    public static async Task<WebhookReceiver> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseKestrel(o => o.Listen(IPAddress.Loopback, 0));
        var app = builder.Build();
        var receiver = new WebhookReceiver(app);
        app.MapPost("/hook", async (HttpRequest request) =>
        {
            using var reader = new StreamReader(request.Body);
            var body = await reader.ReadToEndAsync();
            var valid = false;
            try
            {
                new StandardWebhook(receiver.Secret!).Verify(body, request.Headers);
                valid = true;
            }
            catch (Exception)
            {
                valid = false;
            }
            var status = receiver._answers.TryDequeue(out var next) ? next : receiver.AlwaysFail ? 500 : 200;
            receiver.Requests.Enqueue(new Received(request.Headers["webhook-id"].ToString(), body, valid, status));
            return Results.StatusCode(status);
        });
        await app.StartAsync();
        receiver.Url = app.Urls.First().Replace("[::1]", "127.0.0.1", StringComparison.Ordinal) + "/hook";
        return receiver;
    }

    /// <summary>Waits until at least <paramref name="count"/> requests arrived (or fails after a minute).</summary>
    public async Task WaitForAsync(int count)
    {
        var until = DateTime.UtcNow.AddSeconds(60);
        while (Requests.Count < count)
        {
            if (DateTime.UtcNow > until) throw new TimeoutException($"The receiver got {Requests.Count} of {count} requests.");
            await Task.Delay(50);
        }
    }

    public async ValueTask DisposeAsync() => await _app.DisposeAsync();
}
