package io.degen.util;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.SerializerProvider;
import com.fasterxml.jackson.databind.deser.std.StdDeserializer;
import com.fasterxml.jackson.databind.module.SimpleModule;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.ser.std.StdSerializer;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The one JSON policy of degen, for every file it writes and every CLI result:
 * <ul>
 *   <li>one mapper; records are serialised directly, their components in {@code snake_case}
 *       ({@code metricsBackend} becomes {@code metrics_backend}); maps keep their keys, so a spec or
 *       run configuration keeps the spec's own {@code kebab-case} keys;</li>
 *   <li>JSON has no NaN or infinity: a non-finite number is written as {@code null}, and read back
 *       as NaN where a number is expected (files of earlier versions that hold "NaN" strings still
 *       read);</li>
 *   <li>compact lines for the CLI, indented files for records.</li>
 * </ul>
 */
public final class Json {
    public static final ObjectMapper MAPPER = new ObjectMapper()
            .configure(SerializationFeature.FAIL_ON_EMPTY_BEANS, false)
            .setPropertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
            .registerModule(nonFinite());
    private static final ObjectMapper PRETTY = MAPPER.copy().enable(SerializationFeature.INDENT_OUTPUT);

    private Json() { }

    public static String line(Object o) {
        try { return MAPPER.writeValueAsString(o); }
        catch (JsonProcessingException e) { throw new IllegalStateException(e); }
    }

    public static String pretty(Object o) {
        try { return PRETTY.writeValueAsString(o); }
        catch (JsonProcessingException e) { throw new IllegalStateException(e); }
    }

    public static ObjectNode object() { return MAPPER.createObjectNode(); }

    public static JsonNode read(Path p) throws IOException { return MAPPER.readTree(p.toFile()); }

    public static JsonNode parse(String s) throws IOException { return MAPPER.readTree(s); }

    /** A number read from a tree: NaN for null, a missing node or a legacy "NaN" string. */
    public static double number(JsonNode n) {
        if (n == null || n.isNull() || n.isMissingNode()) return Double.NaN;
        if (n.isNumber()) return n.doubleValue();
        if (n.isTextual()) return legacy(n.asText());
        return Double.NaN;
    }

    private static double legacy(String s) {
        return switch (s) {
            case "Infinity" -> Double.POSITIVE_INFINITY;
            case "-Infinity" -> Double.NEGATIVE_INFINITY;
            default -> Double.NaN;
        };
    }

    private static SimpleModule nonFinite() {
        SimpleModule m = new SimpleModule("degen-non-finite");
        StdSerializer<Double> dbl = new StdSerializer<>(Double.class) {
            @Override public void serialize(Double v, JsonGenerator g, SerializerProvider p) throws IOException {
                if (v == null || !Double.isFinite(v)) g.writeNull(); else g.writeNumber(v);
            }
        };
        StdSerializer<Float> flt = new StdSerializer<>(Float.class) {
            @Override public void serialize(Float v, JsonGenerator g, SerializerProvider p) throws IOException {
                if (v == null || !Float.isFinite(v)) g.writeNull(); else g.writeNumber(v);
            }
        };
        StdSerializer<double[]> arr = new StdSerializer<>(double[].class) {
            @Override public void serialize(double[] v, JsonGenerator g, SerializerProvider p) throws IOException {
                g.writeStartArray(v, v.length);
                for (double x : v) { if (Double.isFinite(x)) g.writeNumber(x); else g.writeNull(); }
                g.writeEndArray();
            }
        };
        m.addSerializer(Double.class, dbl);
        m.addSerializer(Double.TYPE, dbl);
        m.addSerializer(Float.class, flt);
        m.addSerializer(Float.TYPE, flt);
        m.addSerializer(double[].class, arr);
        final class ReadDouble extends StdDeserializer<Double> {
            private final boolean primitive;

            ReadDouble(boolean primitive) { super(Double.class); this.primitive = primitive; }

            @Override public Double deserialize(JsonParser p, DeserializationContext c) throws IOException {
                return switch (p.currentToken()) {
                    case VALUE_NUMBER_INT, VALUE_NUMBER_FLOAT -> p.getDoubleValue();
                    case VALUE_STRING -> {
                        String s = p.getText();
                        try { yield Double.parseDouble(s); } catch (NumberFormatException e) { yield legacy(s); }
                    }
                    default -> (Double) c.handleUnexpectedToken(Double.class, p);
                };
            }

            // A number that is not there: NaN for a double, null for a Double (an optional value).
            @Override public Double getNullValue(DeserializationContext c) { return primitive ? Double.NaN : null; }
        }
        ReadDouble readDouble = new ReadDouble(true);
        StdDeserializer<double[]> readArray = new StdDeserializer<>(double[].class) {
            @Override public double[] deserialize(JsonParser p, DeserializationContext c) throws IOException {
                if (p.currentToken() != JsonToken.START_ARRAY) return (double[]) c.handleUnexpectedToken(double[].class, p);
                List<Double> xs = new ArrayList<>();
                JsonToken t;
                while ((t = p.nextToken()) != JsonToken.END_ARRAY) {
                    xs.add(t == JsonToken.VALUE_NULL ? Double.NaN : readDouble.deserialize(p, c));
                }
                double[] out = new double[xs.size()];
                for (int i = 0; i < out.length; i++) out[i] = xs.get(i);
                return out;
            }
        };
        m.addDeserializer(Double.class, new ReadDouble(false));
        m.addDeserializer(Double.TYPE, readDouble);
        m.addDeserializer(double[].class, readArray);
        return m;
    }
}
