using System.Data.Common;
using System.Globalization;
using System.Reflection;
using System.Runtime.CompilerServices;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata;
using Microsoft.EntityFrameworkCore.Storage;
using Microsoft.EntityFrameworkCore.Storage.ValueConversion;
using SQLitePCL;

namespace Switchboard.Data;

/// <summary>
/// One column of a bulk insert: reads its property from a row and applies the EF model's value converter, typed
/// end to end. EF's own getters and converters hand values over as <see cref="object"/>, which boxed every number
/// and date of every journaled row.
/// </summary>
internal abstract class InsertColumn<TRow>
{
    /// <summary>Binds the row's value to a SQLite statement parameter.</summary>
    public abstract int Bind(sqlite3_stmt statement, int index, TRow row);

    /// <summary>Every row's value as the provider stores it, as one typed array (a PostgreSQL array parameter).</summary>
    public abstract Array ProviderArray(IReadOnlyList<TRow> rows);

    public static InsertColumn<TRow> For(IProperty property)
    {
        var getter = property.PropertyInfo?.GetMethod
            ?? throw new NotSupportedException($"Bulk insert reads CLR properties; {typeof(TRow).Name}.{property.Name} is not one.");
        var mapping = property.GetRelationalTypeMapping();
        var converter = mapping.Converter;
        if (converter is not null && converter.ModelClrType != property.ClrType)
        {
            throw new NotSupportedException(
                $"Bulk insert has no binding for {typeof(TRow).Name}.{property.Name}: a {converter.ModelClrType.Name} converter on a {property.ClrType.Name} property.");
        }
        var column = typeof(ConvertedColumn<,>).MakeGenericType(typeof(TRow), property.ClrType, converter?.ProviderClrType ?? property.ClrType);
        return (InsertColumn<TRow>)Activator.CreateInstance(column, getter, converter)!;
    }

    private sealed class ConvertedColumn<TModel, TProvider>(MethodInfo getter, ValueConverter? converter)
        : InsertColumn<TRow>
    {
        private readonly Func<TRow, TModel> _get = getter.CreateDelegate<Func<TRow, TModel>>();
        private readonly Func<TModel, TProvider>? _convert = ((ValueConverter<TModel, TProvider>?)converter)?.ConvertToProviderTyped;

        public override int Bind(sqlite3_stmt statement, int index, TRow row) => SqliteValue.Bind(statement, index, Convert(_get(row)));

        public override Array ProviderArray(IReadOnlyList<TRow> rows)
        {
            var values = new TProvider?[rows.Count];
            for (var i = 0; i < values.Length; i++)
            {
                values[i] = Convert(_get(rows[i]));
            }
            return values;
        }

        private TProvider? Convert(TModel value) =>
            _convert is null ? Unsafe.As<TModel, TProvider>(ref value) : value is null ? default : _convert(value);
    }
}

/// <summary>
/// Binds a value to a SQLite parameter in the form Microsoft.Data.Sqlite itself writes, so EF reads it back
/// unchanged. Generic so that value types are never boxed: the type tests fold away when the JIT specialises it.
/// Text is bound as UTF-16 straight from the string or a stack buffer (SQLite copies it).
/// </summary>
internal static class SqliteValue
{
    public static int Bind<T>(sqlite3_stmt statement, int index, T? value)
    {
        if (value is null)
        {
            return raw.sqlite3_bind_null(statement, index);
        }
        if (typeof(T) == typeof(string))
        {
            return raw.sqlite3_bind_text16(statement, index, Unsafe.As<T, string>(ref value!));
        }
        if (typeof(T) == typeof(long) || typeof(T) == typeof(long?))
        {
            return raw.sqlite3_bind_int64(statement, index, Unbox<T, long>(value));
        }
        if (typeof(T) == typeof(int) || typeof(T) == typeof(int?))
        {
            return raw.sqlite3_bind_int(statement, index, Unbox<T, int>(value));
        }
        if (typeof(T) == typeof(bool) || typeof(T) == typeof(bool?))
        {
            return raw.sqlite3_bind_int(statement, index, Unbox<T, bool>(value) ? 1 : 0);
        }
        if (typeof(T) == typeof(double) || typeof(T) == typeof(double?))
        {
            return raw.sqlite3_bind_double(statement, index, Unbox<T, double>(value));
        }
        Span<char> formatted = stackalloc char[64];
        var length = 0;
        var written = typeof(T) == typeof(decimal) || typeof(T) == typeof(decimal?)
            ? SqliteDecimalText.TryFormat(Unbox<T, decimal>(value), formatted, out length)
            : typeof(T) == typeof(DateTime) || typeof(T) == typeof(DateTime?)
            ? Unbox<T, DateTime>(value).TryFormat(formatted, out length, "yyyy-MM-dd HH:mm:ss.FFFFFFF", CultureInfo.InvariantCulture)
            : typeof(T) == typeof(DateOnly) || typeof(T) == typeof(DateOnly?)
            ? Unbox<T, DateOnly>(value).TryFormat(formatted, out length, "yyyy-MM-dd", CultureInfo.InvariantCulture)
            : throw new NotSupportedException($"No SQLite binding for {typeof(T)}.");
        return written
            ? raw.sqlite3_bind_text16(statement, index, formatted[..length])
            : throw new InvalidOperationException($"A {typeof(T)} did not fit its SQLite text form.");
    }

    /// <summary>The value of a <typeparamref name="T"/> known to be <typeparamref name="TValue"/> or a non-null <c>TValue?</c>.</summary>
    private static TValue Unbox<T, TValue>(T value) where TValue : struct =>
        typeof(T) == typeof(TValue) ? Unsafe.As<T, TValue>(ref value) : Unsafe.As<T, TValue?>(ref value).GetValueOrDefault();
}
