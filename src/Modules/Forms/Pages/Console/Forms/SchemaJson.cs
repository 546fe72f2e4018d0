using System.Text.Json;
using System.Text.Json.Serialization;
using Portal.Forms.IntakeForms;

namespace Portal.Forms.Pages.Console.Forms;

/// <summary>The form editor edits the schema as JSON, in the same shape the API takes.</summary>
internal static class SchemaJson
{
    private static readonly JsonSerializerOptions Options = new(JsonSerializerDefaults.Web)
    {
        WriteIndented = true,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    };

    public const string Example = """
        {
          "sections": [
            {
              "key": "about", "title": "About you",
              "fields": [
                { "key": "preferred_name", "label": "Preferred name", "type": "ShortText", "maxLength": 100 },
                { "key": "has_insurance", "label": "Do you have health insurance?", "type": "YesNo", "required": true }
              ]
            },
            {
              "key": "insurance", "title": "Your insurance", "showWhen": { "field": "has_insurance", "value": "yes" },
              "fields": [
                { "key": "payer", "label": "Insurance company", "type": "ShortText", "required": true }
              ]
            }
          ]
        }
        """;

    public static string Write(FormSchema schema) => JsonSerializer.Serialize(schema, Options);

    public static (FormSchema? Schema, string? Error) Read(string? json)
    {
        try
        {
            return (JsonSerializer.Deserialize<FormSchema>(json ?? string.Empty, Options), null);
        }
        catch (JsonException e)
        {
            return (null, $"The schema is not valid JSON: {e.Message}");
        }
    }
}
