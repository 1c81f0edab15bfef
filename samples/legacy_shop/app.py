"""Legacy Shop: a tiny tea shop written the way many old Flask apps were.

A sample for flask-fix; README.md lists the patterns it carries on purpose.
"""
import json
import os
from json import dumps

from flask import Flask, Response, make_response, redirect, render_template_string, request, session
from flask_sqlalchemy import SQLAlchemy
from itsdangerous import URLSafeSerializer

app = Flask(__name__)
app.config['SECRET_KEY'] = os.environ.get('SHOP_SECRET_KEY', 'legacy-shop-development-key')
app.config['SQLALCHEMY_DATABASE_URI'] = os.environ.get('SHOP_DATABASE_URI', 'sqlite://')
db = SQLAlchemy(app)

LOW_STOCK = 5
AUDIT_LOG = []
LAYOUT = """<!doctype html><title>{{ title }} - Legacy Shop</title><h1>{{ title }}</h1>
{% if user %}<p>Signed in as {{ user }}</p>{% endif %}"""


class Product(db.Model):
    id = db.Column(db.Integer, primary_key=True)
    sku = db.Column(db.String(20), unique=True, nullable=False)
    name = db.Column(db.String(80), nullable=False)
    price = db.Column(db.Float, nullable=False)
    stock = db.Column(db.Integer, nullable=False, default=0)

    def to_dict(self):
        return {'id': self.id, 'sku': self.sku, 'name': self.name, 'price': self.price, 'stock': self.stock}


class Order(db.Model):
    id = db.Column(db.Integer, primary_key=True)
    product_id = db.Column(db.Integer, db.ForeignKey('product.id'), nullable=False)
    quantity = db.Column(db.Integer, nullable=False)
    customer = db.Column(db.String(80), nullable=False)
    product = db.relationship(Product)

    def to_dict(self):
        return {'id': self.id, 'product_id': self.product_id, 'quantity': self.quantity,
                'customer': self.customer, 'total': round(self.product.price * self.quantity, 2)}


class StockRequest:  # one line of a supplier's delivery note; nothing to do with HTTP
    def __init__(self, sku, **args):
        self.sku = sku
        self.args = args


PRODUCTS = [('TEA-G', 'Green tea', 4.5), ('TEA-B', 'Black tea', 3.75), ('TEA-M', 'Mint tea', 4.0),
            ('MUG-W', 'White mug', 8.0), ('POT-S', 'Small teapot', 19.9), ('FLT-P', 'Paper filters', 2.25)]
DELIVERIES = [StockRequest('TEA-G', amount='12'), StockRequest('TEA-B', amount='30'),
              StockRequest('MUG-W', amount='5'), StockRequest('POT-S'), StockRequest('FLT-P', amount='3')]


def restock_amount(request):
    # `request` is a StockRequest here, not flask.request
    return int(request.args.get('amount', 0))


def init_db():
    """Drop everything and load the seed catalogue (call inside an app context)."""
    db.drop_all()
    db.create_all()
    for sku, name, price in PRODUCTS:
        db.session.add(Product(sku=sku, name=name, price=price, stock=0))
    db.session.flush()
    for delivery in DELIVERIES:
        product = Product.query.filter_by(sku=delivery.sku).one()
        product.stock += restock_amount(delivery)
    db.session.commit()
    AUDIT_LOG.clear()


def audit_line(event, **data):
    """One line for the audit trail; never sent to a client."""
    return json.dumps({'event': event, **data}, sort_keys=True)


def render_page(title, body, **context):
    return render_template_string(LAYOUT + body, title=title, user=session.get('user'), **context)


def moved_catalogue_page():
    # bookmarks of the old static catalogue.html get a meta refresh, not an HTTP redirect
    def redirect(path):
        return f'<meta http-equiv="refresh" content="0; url={path}"><a href="{path}">Moved</a>'
    return redirect('/products')


@app.route('/')
def index():
    return render_page('Welcome', '<p><a href="/products">Browse the catalogue</a></p>')


@app.route('/login', methods=['GET', 'POST'])
def login():
    if request.method == 'POST':
        session['user'] = request.form.get('username') or 'guest'
        return redirect('/')
    return render_page('Log in', '<form method="post"><input name="username"><button>Go</button></form>')


@app.get('/logout')
def logout():
    session.pop('user', None)
    return redirect('/login')


@app.get('/products')
def list_products():
    page = int(request.args.get('page', 1))
    per_page = int(request.args.get('per_page', '20'))
    page = max(page, 1)
    products = Product.query.order_by(Product.id).offset((page - 1) * per_page).limit(per_page).all()
    return render_page('Products', '<ul>{% for p in products %}<li><a href="/products/{{ p.id }}">'
                       '{{ p.name }}</a> {{ p.price }} EUR</li>{% else %}<li>Nothing here</li>'
                       '{% endfor %}</ul><p>Page {{ page }}</p>', products=products, page=page)


@app.get('/products/<int:product_id>')
def show_product(product_id):
    product = db.get_or_404(Product, product_id)
    return render_page(product.name, '<p>{{ p.price }} EUR, {{ p.stock }} in stock</p>'
                       '<form method="post" action="/cart/add"><input type="hidden" name="product_id" '
                       'value="{{ p.id }}"><input name="quantity" value="1"><button>Buy</button></form>',
                       p=product)


@app.get('/catalogue')
def old_catalogue():
    return redirect('/products')


@app.get('/catalogue/more')
def old_catalogue_more():
    return redirect('/products?page=2')


@app.get('/catalogue.html')
def old_catalogue_html():
    return moved_catalogue_page()


@app.get('/help')
def help_page():
    return redirect('https://example.com/help')


@app.get('/wishlist')
def wishlist():
    return redirect('/favourites')  # the page was renamed, then removed


@app.post('/admin/products')
def create_product():
    if 'user' not in session:
        return redirect('/login')
    product = Product(sku=request.form['sku'], name=request.form['name'],
                      price=request.form.get('price', 0.0, type=float), stock=0)
    db.session.add(product)
    db.session.commit()
    return redirect(f'/products/{product.id}')


@app.post('/admin/products/<int:pid>/restock')
def restock(pid):
    if 'user' not in session:
        return redirect('/login')
    product = db.get_or_404(Product, pid)
    try:
        amount = int(request.form.get('amount', '0'))
    except ValueError:
        return render_page('Restock', '<p>The amount must be a whole number.</p>'), 400
    product.stock += amount
    db.session.commit()
    return redirect('/products/' + str(pid))


@app.post('/cart/add')
def add_to_cart():
    product = db.get_or_404(Product, request.form.get('product_id', type=int))
    quantity = int(request.form['quantity'])
    order = Order(product=product, quantity=quantity, customer=session.get('user', 'guest'))
    db.session.add(order)
    db.session.commit()
    line = audit_line('order', order=order.id, quantity=quantity)
    AUDIT_LOG.append(line)
    app.logger.info(line)
    return redirect('/orders/%d' % order.id)


@app.get('/orders/<int:order_id>')
def show_order(order_id):
    order = db.get_or_404(Order, order_id)
    return render_page('Order %d' % order.id, '<p>{{ o.quantity }} x {{ o.product.name }}: '
                       '{{ o.to_dict()["total"] }} EUR</p>', o=order)


@app.get('/orders/<int:order_id>/share')
def share_order(order_id):
    order = db.get_or_404(Order, order_id)
    json = URLSafeSerializer(app.secret_key, salt='share-order')  # the old code named its signer so
    return json.dumps({'order': order.id})


@app.get('/api/health')
def health():
    return Response(json.dumps({'status': 'ok'}), mimetype='application/json')


@app.get('/api/products')
def api_products():
    min_price = float(request.args.get('min_price', 0))
    limit = int(request.args.get('limit') or 10)
    offset = request.args.get('offset', 0, int)
    query = Product.query.filter(Product.price >= min_price).order_by(Product.id)
    return json.dumps([p.to_dict() for p in query.offset(offset).limit(limit)])


@app.post('/api/products')
def api_create_product():
    data = json.loads(request.data)
    product = Product(sku=data['sku'], name=data['name'], price=data['price'], stock=data.get('stock', 0))
    db.session.add(product)
    db.session.commit()
    return json.dumps(product.to_dict()), 201


@app.get('/api/products/<int:product_id>')
def api_product(product_id):
    product = db.get_or_404(Product, product_id)
    return json.dumps(product.to_dict()), 200, {'Cache-Control': 'max-age=60'}


@app.route('/api/products/<int:product_id>', methods=['PATCH'])
def api_update_product(product_id):
    product = db.get_or_404(Product, product_id)
    changes = json.loads(request.get_data())
    for field in ('name', 'price', 'stock'):
        if field in changes:
            setattr(product, field, changes[field])
    db.session.commit()
    return make_response(json.dumps(product.to_dict()))


@app.post('/api/products/import')
def api_import_products():
    # the supplier feed has keys like " SKU " and "Name"
    rows = json.loads(request.data, object_hook=lambda d: {k.strip().lower(): v for k, v in d.items()})
    for row in rows:
        db.session.add(Product(sku=row['sku'], name=row['name'], price=row['price'], stock=0))
    db.session.commit()
    return {'imported': len(rows)}, 201


@app.get('/api/orders')
def api_orders():
    return dumps([o.to_dict() for o in Order.query.order_by(Order.id)])


@app.post('/api/orders')
def api_create_order():
    data = json.loads(request.get_data(as_text=True))
    product = db.get_or_404(Product, data['product_id'])
    order = Order(product=product, quantity=data.get('quantity', 1), customer=data.get('customer', 'api'))
    db.session.add(order)
    db.session.commit()
    return json.dumps(order.to_dict(), sort_keys=True), 201


@app.post('/api/cart/check')
def api_check_cart():
    try:
        lines = json.loads(request.data)
    except ValueError:
        return {'error': 'the body is not JSON'}, 400
    stock = {p.id: p.stock for p in Product.query}
    problems = [ln['product_id'] for ln in lines if stock.get(ln['product_id'], 0) < ln.get('quantity', 1)]
    return {'ok': not problems, 'problems': problems}


@app.get('/api/reports/stock')
def api_stock_report():
    products = Product.query.order_by(Product.sku).all()
    report = {'low_stock': [p.sku for p in products if p.stock < LOW_STOCK],
              'units': sum(p.stock for p in products)}
    return json.dumps(report, indent=2)


if __name__ == '__main__':
    with app.app_context():
        init_db()
    app.run()
