using System.Globalization;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using SQLitePCL;

namespace Switchboard.Data;

/// <summary>
/// <c>ef_add</c> and <c>ef_compare</c>, the functions EF Core registers on every SQLite connection to sum and compare
/// decimals stored as text, registered again on one connection as native callbacks that parse and format UTF-8 on
/// the stack. EF's own go through Microsoft.Data.Sqlite's generic function plumbing, which allocated about 450 bytes
/// a call (value readers, result binders, boxed decimals, strings both ways) and crossed into managed code through a
/// delegate: a batch of one settled request calls them nine times, a quarter of what such a request allocated. The
/// results are exactly EF's: the same arithmetic on <see cref="decimal"/>, null when an operand is null, and sums
/// written in Microsoft.Data.Sqlite's text form, so EF reads them back unchanged. Registering under the same name
/// and argument count replaces EF's on that connection only (SQLite's rule); every statement keeps its text.
/// </summary>
internal static unsafe partial class SqliteDecimalFunctions
{
    private const string Library = "e_sqlite3";
    private const int Utf8Deterministic = 1 /* SQLITE_UTF8 */ | 0x800 /* SQLITE_DETERMINISTIC */;
    private static readonly nint Transient = -1; // SQLITE_TRANSIENT: SQLite copies the text before the call returns

    /// <summary>Replaces EF's <c>ef_add</c> and <c>ef_compare</c> on <paramref name="connection"/>.</summary>
    public static void Register(sqlite3 connection)
    {
        var handle = connection.DangerousGetHandle();
        Check(connection, CreateFunction(handle, "ef_add"u8, 2, &Add));
        Check(connection, CreateFunction(handle, "ef_compare"u8, 2, &Compare));
    }

    [UnmanagedCallersOnly]
    private static void Add(nint context, int count, nint* values)
    {
        if (!TryReadOperands(context, values, out var left, out var right))
        {
            return;
        }
        decimal sum;
        try
        {
            sum = left + right;
        }
        catch (OverflowException)
        {
            Fail(context, "ef_add: the sum is outside the range of a decimal"u8);
            return;
        }
        Span<byte> text = stackalloc byte[64];
        if (!SqliteDecimalText.TryFormat(sum, text, out var length))
        {
            Fail(context, "ef_add: the sum did not fit its text form"u8);
            return;
        }
        fixed (byte* start = text)
        {
            ResultText(context, start, length, Transient);
        }
    }

    [UnmanagedCallersOnly]
    private static void Compare(nint context, int count, nint* values)
    {
        if (TryReadOperands(context, values, out var left, out var right))
        {
            ResultInt(context, decimal.Compare(left, right));
        }
    }

    /// <summary>
    /// Both operands, in order, as EF reads them. False when the call already has its result: null for a null
    /// operand, or an error for one that is not a number.
    /// </summary>
    private static bool TryReadOperands(nint context, nint* values, out decimal left, out decimal right)
    {
        right = 0m;
        if (!TryRead(context, values[0], out left, out var leftNull) || !TryRead(context, values[1], out right, out var rightNull))
        {
            return false;
        }
        if (leftNull || rightNull)
        {
            ResultNull(context);
            return false;
        }
        return true;
    }

    /// <summary>
    /// A value as Microsoft.Data.Sqlite reads a decimal: its text (SQLite renders integers and reals as text too),
    /// parsed with <see cref="NumberStyles.Number"/> and exponents. False, with the call failed, when it is not a number.
    /// </summary>
    private static bool TryRead(nint context, nint value, out decimal number, out bool isNull)
    {
        number = 0m;
        isNull = ValueType(value) == raw.SQLITE_NULL;
        if (isNull)
        {
            return true;
        }
        var text = new ReadOnlySpan<byte>(ValueText(value), ValueBytes(value));
        if (decimal.TryParse(text, NumberStyles.Number | NumberStyles.AllowExponent, CultureInfo.InvariantCulture, out number))
        {
            return true;
        }
        Fail(context, "ef_add/ef_compare: an operand is not a decimal"u8);
        return false;
    }

    private static void Fail(nint context, ReadOnlySpan<byte> message)
    {
        fixed (byte* start = message)
        {
            ResultError(context, start, message.Length);
        }
    }

    private static void Check(sqlite3 connection, int result)
    {
        if (result != raw.SQLITE_OK)
        {
            throw new Microsoft.Data.Sqlite.SqliteException(raw.sqlite3_errmsg(connection).utf8_to_string(), result);
        }
    }

    private static int CreateFunction(nint connection, ReadOnlySpan<byte> name, int arguments, delegate* unmanaged<nint, int, nint*, void> function)
    {
        // "…"u8 literals are not null-terminated; SQLite wants a C string.
        Span<byte> terminated = stackalloc byte[name.Length + 1];
        name.CopyTo(terminated);
        terminated[^1] = 0;
        fixed (byte* start = terminated)
        {
            return CreateFunctionV2(connection, start, arguments, Utf8Deterministic, 0, function, null, null, 0);
        }
    }

    [LibraryImport(Library, EntryPoint = "sqlite3_create_function_v2")]
    private static partial int CreateFunctionV2(
        nint connection, byte* name, int arguments, int textRepresentation, nint application,
        delegate* unmanaged<nint, int, nint*, void> function, delegate* unmanaged<nint, int, nint*, void> step,
        delegate* unmanaged<nint, void> final, nint destroy);

    [LibraryImport(Library, EntryPoint = "sqlite3_value_type")]
    [SuppressGCTransition]
    private static partial int ValueType(nint value);

    [LibraryImport(Library, EntryPoint = "sqlite3_value_text")]
    private static partial byte* ValueText(nint value);

    [LibraryImport(Library, EntryPoint = "sqlite3_value_bytes")]
    [SuppressGCTransition]
    private static partial int ValueBytes(nint value);

    [LibraryImport(Library, EntryPoint = "sqlite3_result_text")]
    private static partial void ResultText(nint context, byte* text, int length, nint destructor);

    [LibraryImport(Library, EntryPoint = "sqlite3_result_int")]
    [SuppressGCTransition]
    private static partial void ResultInt(nint context, int value);

    [LibraryImport(Library, EntryPoint = "sqlite3_result_null")]
    [SuppressGCTransition]
    private static partial void ResultNull(nint context);

    [LibraryImport(Library, EntryPoint = "sqlite3_result_error")]
    private static partial void ResultError(nint context, byte* message, int length);
}
