using static Switchboard.Tests.Providers.Gemini.GeminiTestKit;

namespace Switchboard.Tests.Providers.Gemini;

/// <summary>JSON Schemas cleaned into Gemini's Schema subset, which rejects every keyword it does not know.</summary>
public sealed class GeminiSchemaTests
{
    private static System.Text.Json.Nodes.JsonNode? Parameters(string schema) =>
        Body($$$"""
            {"model": "m", "messages": [{"role": "user", "content": "Hi"}],
             "tools": [{"type": "function", "function": {"name": "forecast", "strict": true, "parameters": {{{schema}}}}}]}
            """)["tools"]![0]!["functionDeclarations"]![0]!["parameters"];

    [Fact]
    public void References_that_double_at_every_level_cost_a_bounded_amount_of_work_and_output()
    {
        // D0 refers to D1 twice, D1 to D2 twice, and so on: inlined in full, 40 levels would be 2^40 objects.
        var definitions = string.Join(",", Enumerable.Range(0, 40).Select(i =>
            $"\"D{i}\": {{\"type\": \"object\", \"properties\": {{\"a\": {{\"$ref\": \"#/$defs/D{i + 1}\"}}, \"b\": {{\"$ref\": \"#/$defs/D{i + 1}\"}}}}}}"));
        var schema = "{\"type\": \"object\", \"properties\": {\"root\": {\"$ref\": \"#/$defs/D0\"}}, \"$defs\": {"
            + definitions + ", \"D40\": {\"type\": \"string\"}}}";

        var cleaned = Parameters(schema)!.ToJsonString();

        // About a hundred bytes per object at most, for the capped number of objects.
        Assert.InRange(cleaned.Length, 1_000, 100 * Switchboard.Providers.Gemini.GeminiSchemaContext.MaxNodes);
    }

    [Fact]
    public void Pydantic_style_schema_is_inlined_and_stripped_to_what_gemini_accepts()
    {
        var cleaned = Parameters("""
            {
              "$schema": "http://json-schema.org/draft-07/schema#",
              "$id": "https://example.com/forecast",
              "type": "object",
              "additionalProperties": false,
              "properties": {
                "location": {"type": "string", "description": "City name", "examples": ["Paris"]},
                "unit": {"anyOf": [{"$ref": "#/$defs/Unit"}, {"type": "null"}], "description": "Temperature unit", "default": null},
                "days": {"type": ["integer", "null"], "minimum": 1, "maximum": 14, "exclusiveMaximum": 15},
                "kind": {"const": "forecast"},
                "when": {"type": "string", "format": "date-time"},
                "email": {"type": "string", "format": "email", "$comment": "not checked"},
                "tags": {"type": "array", "items": {"type": "string"}, "uniqueItems": true},
                "address": {"$ref": "#/$defs/Address", "description": "Where"},
                "filters": {"oneOf": [{"type": "string"}, {"type": "integer"}]},
                "meta": {"type": "object", "additionalProperties": {"type": "string"}},
                "priority": {"type": "integer", "enum": [1, 2, 3]},
                "notes": {"allOf": [{"$ref": "#/$defs/Note"}]},
                "ids": {"type": "array"}
              },
              "required": ["location", "ghost"],
              "$defs": {
                "Unit": {"type": "string", "enum": ["celsius", "fahrenheit"]},
                "Address": {"type": "object", "properties": {"street": {"type": "string"}, "city": {"type": "string"}}, "required": ["city"], "additionalProperties": false},
                "Note": {"type": "object", "properties": {"text": {"type": "string", "maxLength": 200}}, "patternProperties": {"^x-": {}}, "unevaluatedProperties": false}
              }
            }
            """);

        AssertJson("""
            {
              "type": "object",
              "properties": {
                "location": {"type": "string", "description": "City name"},
                "unit": {"type": "string", "enum": ["celsius", "fahrenheit"], "description": "Temperature unit", "default": null, "nullable": true},
                "days": {"type": "integer", "minimum": 1, "maximum": 14, "nullable": true},
                "kind": {"type": "string", "enum": ["forecast"]},
                "when": {"type": "string", "format": "date-time"},
                "email": {"type": "string"},
                "tags": {"type": "array", "items": {"type": "string"}},
                "address": {"type": "object", "description": "Where", "properties": {"street": {"type": "string"}, "city": {"type": "string"}}, "required": ["city"]},
                "filters": {"anyOf": [{"type": "string"}, {"type": "integer"}]},
                "meta": {"type": "object"},
                "priority": {"type": "integer"},
                "notes": {"type": "object", "properties": {"text": {"type": "string", "maxLength": 200}}},
                "ids": {"type": "array", "items": {"type": "string"}}
              },
              "required": ["location"]
            }
            """, cleaned);
    }

    [Fact]
    public void Recursive_reference_is_cut_to_an_object_after_one_expansion()
    {
        var cleaned = Parameters("""
            {"type": "object", "properties": {"root": {"$ref": "#/definitions/Node"}},
             "definitions": {"Node": {"type": "object", "properties": {
               "name": {"type": "string"},
               "children": {"type": "array", "items": {"$ref": "#/definitions/Node"}}}}}}
            """);

        AssertJson("""
            {"type": "object", "properties": {"root": {"type": "object", "properties": {
              "name": {"type": "string"},
              "children": {"type": "array", "items": {"type": "object"}}}}}}
            """, cleaned);
    }

    [Fact]
    public void Nullable_object_and_allof_members_merge_their_properties()
    {
        var cleaned = Parameters("""
            {"type": "object", "properties": {
              "owner": {"oneOf": [{"type": "null"}, {"type": "object", "properties": {"id": {"type": "integer", "format": "int64"}}, "required": ["id"]}]},
              "both": {"allOf": [
                {"type": "object", "properties": {"a": {"type": "string"}}, "required": ["a"]},
                {"properties": {"b": {"type": "boolean"}}, "required": ["b"]}]},
              "empty": {"type": "object", "properties": {}}
            }}
            """);

        AssertJson("""
            {"type": "object", "properties": {
              "owner": {"type": "object", "properties": {"id": {"type": "integer", "format": "int64"}}, "required": ["id"], "nullable": true},
              "both": {"type": "object", "properties": {"a": {"type": "string"}, "b": {"type": "boolean"}}, "required": ["a", "b"]},
              "empty": {"type": "object"}
            }}
            """, cleaned);
    }
}
