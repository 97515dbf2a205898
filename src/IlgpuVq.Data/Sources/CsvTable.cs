using System.Text;

namespace IlgpuVq.Data;

/// <summary>A small RFC 4180 CSV reader (quoted fields, doubled quotes, CRLF/LF, UTF-8 BOM) for metadata files.</summary>
internal sealed class CsvTable
{
    CsvTable(string path, string[] header, List<string[]> rows)
    {
        FilePath = path;
        Header = header;
        Rows = rows;
    }

    public string FilePath { get; }
    public string FileName => Path.GetFileName(FilePath);
    public string[] Header { get; }
    public List<string[]> Rows { get; }

    /// <summary>Reads a whole CSV file; the first record is the header (names trimmed).</summary>
    public static CsvTable Read(string path)
    {
        string text;
        try { text = File.ReadAllText(path, Encoding.UTF8); }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new DataError($"cannot read {path}: {e.Message}");
        }
        var records = Parse(text);
        if (records.Count == 0) throw new DataError($"{path} is empty (no header row)");
        var header = records[0].Select(h => h.Trim()).ToArray();
        var rows = records.Skip(1).Where(r => !(r.Length == 1 && r[0].Trim().Length == 0)).ToList();
        return new CsvTable(path, header, rows);
    }

    /// <summary>Reads only the header row.</summary>
    public static string[] ReadHeader(string path)
    {
        using var reader = new StreamReader(path, Encoding.UTF8);
        var line = reader.ReadLine() ?? "";
        var records = Parse(line);
        return records.Count == 0 ? [] : records[0].Select(h => h.Trim()).ToArray();
    }

    /// <summary>Index of a column (case-insensitive), or -1.</summary>
    public int Column(string name) => Array.FindIndex(Header, h => string.Equals(h, name, StringComparison.OrdinalIgnoreCase));

    /// <summary>The required columns this header lacks.</summary>
    public static List<string> Missing(IEnumerable<string> header, IEnumerable<string> required)
    {
        var have = new HashSet<string>(header, StringComparer.OrdinalIgnoreCase);
        return required.Where(r => !have.Contains(r)).ToList();
    }

    /// <summary>Field of a row, or "" when the row is short.</summary>
    public static string Field(string[] row, int column) => column >= 0 && column < row.Length ? row[column].Trim() : "";

    static List<string[]> Parse(string text)
    {
        var records = new List<string[]>();
        var fields = new List<string>();
        var field = new StringBuilder();
        var quoted = false;
        var i = 0;
        if (text.Length > 0 && text[0] == '\uFEFF') i = 1;
        var fieldStarted = false;
        for (; i < text.Length; i++)
        {
            var c = text[i];
            if (quoted)
            {
                if (c == '"')
                {
                    if (i + 1 < text.Length && text[i + 1] == '"') { field.Append('"'); i++; }
                    else quoted = false;
                }
                else field.Append(c);
                continue;
            }
            switch (c)
            {
                case '"' when field.Length == 0:
                    quoted = true;
                    fieldStarted = true;
                    break;
                case ',':
                    fields.Add(field.ToString());
                    field.Clear();
                    fieldStarted = true;
                    break;
                case '\r':
                    break;
                case '\n':
                    fields.Add(field.ToString());
                    records.Add(fields.ToArray());
                    fields.Clear();
                    field.Clear();
                    fieldStarted = false;
                    break;
                default:
                    field.Append(c);
                    fieldStarted = true;
                    break;
            }
        }
        if (fieldStarted || field.Length > 0 || fields.Count > 0)
        {
            fields.Add(field.ToString());
            records.Add(fields.ToArray());
        }
        return records;
    }
}
