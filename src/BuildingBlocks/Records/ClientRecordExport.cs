using System.IO.Compression;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace Portal.BuildingBlocks.Records;

/// <summary>
/// One module's part of a client's record export: it writes what it holds about the client (its own tables only)
/// into the archive, as <c>&lt;Module&gt;.json</c> and any files of its own under <c>&lt;Module&gt;/</c>. The host finds
/// every implementation in the module assemblies and composes them into one ZIP; no module knows another's part.
/// Exports never carry secrets: no password or token hashes, no card numbers or processor tokens.
/// </summary>
public interface IClientRecordExport
{
    /// <summary>The module's name: its JSON file and folder in the archive.</summary>
    string Module { get; }

    Task WriteAsync(Guid clientId, ClientRecordArchive archive, CancellationToken cancellation);
}

/// <summary>The ZIP an export is written into, with the one JSON shape every module's file uses.</summary>
public sealed class ClientRecordArchive(ZipArchive zip)
{
    public static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        WriteIndented = true,
        Converters = { new JsonStringEnumConverter() },
        ReferenceHandler = ReferenceHandler.IgnoreCycles,
    };

    private readonly List<string> _entries = [];

    public IReadOnlyList<string> Entries => _entries;

    public async Task AddJsonAsync(string path, object value, CancellationToken cancellation)
    {
        await using var stream = Open(path);
        await JsonSerializer.SerializeAsync(stream, value, value.GetType(), Json, cancellation);
    }

    public async Task AddTextAsync(string path, string text, CancellationToken cancellation)
    {
        await using var stream = Open(path);
        await stream.WriteAsync(Encoding.UTF8.GetBytes(text), cancellation);
    }

    /// <summary>A file as it was stored (a card photo): its bytes unchanged.</summary>
    public async Task AddBytesAsync(string path, ReadOnlyMemory<byte> content, CancellationToken cancellation)
    {
        await using var stream = Open(path);
        await stream.WriteAsync(content, cancellation);
    }

    /// <summary>A name made safe for a file in the archive (letters, digits, '-' and '_').</summary>
    public static string FileName(string text)
    {
        var safe = new string(text.Select(c => char.IsLetterOrDigit(c) ? c : '-').ToArray()).Trim('-');
        return safe.Length == 0 ? "file" : safe[..Math.Min(safe.Length, 60)];
    }

    private Stream Open(string path)
    {
        if (_entries.Contains(path)) throw new InvalidOperationException($"The export already has {path}.");
        _entries.Add(path);
        return zip.CreateEntry(path, CompressionLevel.Optimal).Open();
    }
}
