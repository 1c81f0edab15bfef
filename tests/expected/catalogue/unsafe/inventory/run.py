from stock import create_app
from stock.views import bp as stock_bp

app = create_app()
app.register_blueprint(stock_bp, url_prefix="/v2", name="stock_v2")

if __name__ == "__main__":
    app.run(host="0.0.0.0")
