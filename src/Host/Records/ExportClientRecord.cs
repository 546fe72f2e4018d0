using System.IO.Compression;
using System.Reflection;
using Marten;
using Microsoft.AspNetCore.Authorization;
using Portal.BuildingBlocks.Auditing;
using Portal.BuildingBlocks.Records;
using Portal.BuildingBlocks.Security;
using Wolverine.Http;

namespace Portal.Host.Records;

/// <summary>
/// A client's whole record as a ZIP: one JSON file per module and the files a module adds (the signed copies), with a
/// manifest. For the practice owner or the client's clinicians (policy <c>provider</c> and the card rule); front desk
/// and billers are refused (403), anyone else is told the client does not exist (404). Every export is audited.
/// Nothing is deleted by it or anywhere else: a discharged client's record stays whole.
/// </summary>
public static class ExportClientRecordEndpoint
{
    [WolverineGet("/api/console/clients/{clientId}/export")]
    [Authorize(Policy = PortalPolicies.Provider)]
    public static async Task<IResult> Get(Guid clientId, HttpContext http, IClientVisibility roster, IDocumentSession session,
        TimeProvider clock)
    {
        var user = CurrentUser.From(http.User)!;
        if (!await roster.IsVisibleAsync(clientId, user, http.RequestAborted))
            return Results.Problem(statusCode: StatusCodes.Status404NotFound, title: "No such client.");
        // A whole record leaves the portal: the member's second factor must have been used in the last ten minutes.
        if (SecondFactor.StepUp(user, clock.GetUtcNow()) is { } stepUp) return stepUp.ToProblem(http);

        // The modules' parts, resolved here from the request's services (registered by type at start-up).
        var exports = http.RequestServices.GetServices<IClientRecordExport>().OrderBy(e => e.Module, StringComparer.Ordinal).ToList();
        var now = clock.GetUtcNow();
        using var buffer = new MemoryStream();
        using (var zip = new ZipArchive(buffer, ZipArchiveMode.Create, leaveOpen: true))
        {
            var archive = new ClientRecordArchive(zip);
            foreach (var export in exports) await export.WriteAsync(clientId, archive, http.RequestAborted);
            await archive.AddJsonAsync("manifest.json", new
            {
                ClientId = clientId,
                ExportedAt = now,
                ExportedBy = new { user.UserId, user.DisplayName, Role = user.StaffRole?.ToString() },
                Modules = exports.Select(e => e.Module),
                Files = archive.Entries.ToList(),
            }, http.RequestAborted);
        }

        Audit.Record(session, http, clock, "client.exported", "ClientRecord", clientId.ToString(), clientId,
            $"{exports.Count} modules");
        await session.SaveChangesAsync(http.RequestAborted);
        return Results.File(buffer.ToArray(), "application/zip", $"client-record-{clientId:N}-{now:yyyyMMdd}.zip");
    }
}

/// <summary>Finds every module's <see cref="IClientRecordExport"/> by type, as the profile sections are found.</summary>
internal static class ClientRecordExports
{
    public static IServiceCollection AddClientRecordExports(this IServiceCollection services, IEnumerable<Assembly> moduleAssemblies)
    {
        foreach (var type in moduleAssemblies.SelectMany(a => a.GetTypes())
                     .Where(t => t is { IsClass: true, IsAbstract: false } && t.IsAssignableTo(typeof(IClientRecordExport))))
            services.AddScoped(typeof(IClientRecordExport), type);
        return services;
    }
}
