using Npgsql;
using Weasel.Postgresql;
using Weasel.Postgresql.Tables;

namespace Portal.Insurance.Photos;

/// <summary>A card photo as stored. Public only because the photo endpoint's Load method hands it to Wolverine's generated code.</summary>
public sealed record StoredPhoto(Guid Id, Guid ClientId, string ContentType, byte[] Content);

/// <summary>A stored card photo with when it was uploaded, as a client's record export lists it.</summary>
internal sealed record ExportedPhoto(Guid Id, string ContentType, byte[] Content, DateTimeOffset UploadedAt);

/// <summary>
/// Card photos live in their own table in the insurance schema (bytea), written in the same transaction as the
/// event that attaches them. Events only carry the photo id.
/// </summary>
internal static class CardPhotoStore
{
    private const string TableName = "card_photos";

    public static Table Table(string schema)
    {
        var table = new Table(new PostgresqlObjectName(schema, TableName, SchemaUtils.IdentifierUsage.General));
        table.AddColumn<Guid>("id").AsPrimaryKey();
        table.AddColumn<Guid>("client_id").NotNull();
        table.AddColumn<string>("content_type").NotNull();
        table.AddColumn("content", "bytea").NotNull();
        table.AddColumn<DateTimeOffset>("uploaded_at").NotNull();
        table.Indexes.Add(new IndexDefinition("idx_card_photos_client") { Columns = ["client_id"] });
        return table;
    }

    public static void Insert(IDocumentSession session, Guid photoId, Guid clientId, CleanImage image, DateTimeOffset at) =>
        session.QueueSqlCommand(
            $"insert into {InsuranceModule.Schema}.{TableName} (id, client_id, content_type, content, uploaded_at) values (?, ?, ?, ?, ?)",
            photoId, clientId, image.ContentType, image.Content, at);

    public static void Delete(IDocumentSession session, Guid photoId) =>
        session.QueueSqlCommand($"delete from {InsuranceModule.Schema}.{TableName} where id = ?", photoId);

    public static async Task<StoredPhoto?> LoadAsync(IQuerySession session, Guid photoId, CancellationToken cancellation)
    {
        await using var connection = session.Database.CreateConnection();
        await connection.OpenAsync(cancellation);
        await using var command = new NpgsqlCommand(
            $"select client_id, content_type, content from {InsuranceModule.Schema}.{TableName} where id = @id", connection);
        command.Parameters.AddWithValue("id", photoId);
        await using var reader = await command.ExecuteReaderAsync(cancellation);
        if (!await reader.ReadAsync(cancellation)) return null;
        return new StoredPhoto(photoId, reader.GetGuid(0), reader.GetString(1), (byte[])reader[2]);
    }

    /// <summary>Every photo stored for the client, oldest first, one at a time (a photo is up to 10 MB).</summary>
    public static async IAsyncEnumerable<ExportedPhoto> OfClientAsync(IQuerySession session, Guid clientId,
        [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellation)
    {
        await using var connection = session.Database.CreateConnection();
        await connection.OpenAsync(cancellation);
        await using var command = new NpgsqlCommand(
            $"select id, content_type, content, uploaded_at from {InsuranceModule.Schema}.{TableName} " +
            "where client_id = @client order by uploaded_at, id", connection);
        command.Parameters.AddWithValue("client", clientId);
        await using var reader = await command.ExecuteReaderAsync(System.Data.CommandBehavior.SequentialAccess, cancellation);
        while (await reader.ReadAsync(cancellation))
            yield return new ExportedPhoto(reader.GetGuid(0), reader.GetString(1), (byte[])reader[2],
                await reader.GetFieldValueAsync<DateTimeOffset>(3, cancellation));
    }
}
