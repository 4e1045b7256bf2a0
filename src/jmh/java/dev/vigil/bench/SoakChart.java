package dev.vigil.bench;

import java.util.List;
import java.util.Locale;

/**
 * The soak samples as a plain SVG, written by hand (no plotting library): panels over the same time axis (heap
 * after GC, resident memory, live threads, open files), one line each. Every y axis starts at zero, so a flat line
 * looks flat and a slope is not exaggerated by a zoomed axis.
 */
final class SoakChart {
    private static final int WIDTH = 760;
    private static final int LEFT = 70;
    private static final int RIGHT = 150;
    private static final int PANEL_HEIGHT = 130;
    private static final int PANEL_GAP = 60;
    private static final int TOP = 50;

    /** One line of a panel. */
    record Series(String label, String colour, boolean dashed, double[] values) {
    }

    /** One panel: a title with its unit and its lines. */
    record Panel(String title, List<Series> series) {
    }

    /** A moment marked across every panel (the end of the warm-up, the end of the feed). */
    record Marker(double seconds, String label) {
    }

    private SoakChart() {
    }

    static String svg(String title, double[] seconds, List<Panel> panels, List<Marker> markers) {
        int height = TOP + panels.size() * (PANEL_HEIGHT + PANEL_GAP);
        // The time axis ends at a round tick after the last sample.
        double step = niceCeiling(Math.max(1, seconds[seconds.length - 1]) / 6);
        // (A sample a moment after a round time does not open another step.)
        double maxSeconds = step * Math.max(1, Math.ceil(seconds[seconds.length - 1] / step - 0.05));
        StringBuilder svg = new StringBuilder();
        svg.append(String.format(Locale.ROOT, "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" height=\"%d\" "
                + "viewBox=\"0 0 %d %d\" font-family=\"sans-serif\" font-size=\"12\">%n", WIDTH, height, WIDTH, height));
        svg.append(String.format(Locale.ROOT, "<rect width=\"%d\" height=\"%d\" fill=\"white\"/>%n", WIDTH, height));
        svg.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"24\" font-size=\"15\" font-weight=\"bold\">%s</text>%n",
                LEFT, escape(title)));
        int top = TOP;
        for (Panel panel : panels) {
            panel(svg, panel, seconds, maxSeconds, step, markers, top);
            top += PANEL_HEIGHT + PANEL_GAP;
        }
        return svg.append("</svg>\n").toString();
    }

    private static void panel(StringBuilder svg, Panel panel, double[] seconds, double maxSeconds, double step,
            List<Marker> markers, int top) {
        int plotWidth = WIDTH - LEFT - RIGHT;
        int bottom = top + PANEL_HEIGHT;
        double max = 0;
        for (Series s : panel.series()) {
            for (double v : s.values()) {
                max = Math.max(max, v);
            }
        }
        double yMax = niceCeiling(max * 1.1);
        svg.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"%d\" font-weight=\"bold\">%s</text>%n", LEFT,
                top - 8, escape(panel.title())));
        // Horizontal grid lines and y labels: 0, 1/4, ... of the axis.
        for (int i = 0; i <= 4; i++) {
            double y = bottom - PANEL_HEIGHT * i / 4.0;
            svg.append(String.format(Locale.ROOT, "<line x1=\"%d\" y1=\"%.1f\" x2=\"%d\" y2=\"%.1f\" stroke=\"%s\"/>%n",
                    LEFT, y, LEFT + plotWidth, y, i == 0 ? "black" : "#dddddd"));
            svg.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"%.1f\" text-anchor=\"end\">%s</text>%n",
                    LEFT - 6, y + 4, number(yMax * i / 4)));
        }
        svg.append(String.format(Locale.ROOT, "<line x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\" stroke=\"black\"/>%n",
                LEFT, top, LEFT, bottom));
        // x labels: seconds since the feed started, at round steps.
        for (double t = 0; t <= maxSeconds + step / 2; t += step) {
            double x = LEFT + plotWidth * t / maxSeconds;
            svg.append(String.format(Locale.ROOT, "<line x1=\"%.1f\" y1=\"%d\" x2=\"%.1f\" y2=\"%d\" stroke=\"black\"/>%n",
                    x, bottom, x, bottom + 4));
            svg.append(String.format(Locale.ROOT, "<text x=\"%.1f\" y=\"%d\" text-anchor=\"middle\">%s</text>%n", x,
                    bottom + 17, number(t)));
        }
        svg.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"%d\">time (s)</text>%n", LEFT + plotWidth + 24,
                bottom + 17));
        for (Marker m : markers) {
            double x = LEFT + plotWidth * m.seconds() / maxSeconds;
            svg.append(String.format(Locale.ROOT, "<line x1=\"%.1f\" y1=\"%d\" x2=\"%.1f\" y2=\"%d\" stroke=\"#999999\" "
                    + "stroke-dasharray=\"2 3\"/>%n", x, top, x, bottom));
            svg.append(String.format(Locale.ROOT, "<text x=\"%.1f\" y=\"%d\" font-size=\"10\" fill=\"#666666\" "
                    + "text-anchor=\"end\">%s</text>%n", x - 3, bottom - 4, escape(m.label())));
        }
        int legendY = top + 12;
        for (Series s : panel.series()) {
            StringBuilder points = new StringBuilder();
            for (int i = 0; i < seconds.length; i++) {
                points.append(String.format(Locale.ROOT, "%.1f,%.1f ", LEFT + plotWidth * seconds[i] / maxSeconds,
                        bottom - PANEL_HEIGHT * s.values()[i] / yMax));
            }
            String dash = s.dashed() ? " stroke-dasharray=\"6 4\"" : "";
            svg.append(String.format(Locale.ROOT, "<polyline fill=\"none\" stroke=\"%s\" stroke-width=\"2\"%s points=\"%s\"/>%n",
                    s.colour(), dash, points.toString().strip()));
            svg.append(String.format(Locale.ROOT, "<line x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\" stroke=\"%s\" stroke-width=\"2\"%s/>%n",
                    LEFT + plotWidth + 12, legendY - 4, LEFT + plotWidth + 36, legendY - 4, s.colour(), dash));
            svg.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"%d\">%s</text>%n", LEFT + plotWidth + 42, legendY,
                    escape(s.label())));
            legendY += 18;
        }
    }

    /** The smallest 1, 2 or 5 times a power of ten at or above {@code v} (at least 1). */
    static double niceCeiling(double v) {
        if (v <= 1) {
            return 1;
        }
        double power = Math.pow(10, Math.floor(Math.log10(v)));
        for (double step : new double[] {1, 2, 5, 10}) {
            if (step * power >= v) {
                return step * power;
            }
        }
        return 10 * power;
    }

    private static String number(double v) {
        return v == Math.rint(v) ? String.format(Locale.ROOT, "%,.0f", v) : String.format(Locale.ROOT, "%,.1f", v);
    }

    private static String escape(String text) {
        return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
    }
}
